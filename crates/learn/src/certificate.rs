//! Course certificates: a one-page PDF (name, course, date, a verification
//! code) whose facts are signed with an Ed25519 key kept in the OS keyring.
//! The signed record travels inside the PDF; verifying checks the signature
//! and that the visible text says what was signed, so editing either fails.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use flashfusion_core::secrets::SecretStore;
use flashfusion_core::{Code, Error, Result};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

const KEY_NAME: &str = "learn-certificate-signing-key";
/// The PDF document-information key holding the signed record (hex).
const RECORD_KEY: &[u8] = b"FlashFusionCertificate";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CertificateFacts {
    pub name: String,
    pub course_id: String,
    pub course_title: String,
    /// YYYY-MM-DD.
    pub date: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SignedRecord {
    facts: CertificateFacts,
    /// Hex Ed25519 signature over the facts' JSON.
    signature: String,
    /// Hex Ed25519 public key.
    public_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedCertificate {
    pub facts: CertificateFacts,
    pub code: String,
    /// SHA-256 of the signing key, shortened: which installation signed it.
    pub key_fingerprint: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|index| u8::from_str_radix(text.get(index..index + 2)?, 16).ok()).collect()
}

/// The code printed on the certificate: derived from the signature.
fn code_for(signature: &[u8]) -> String {
    let digest = hex(&Sha256::digest(signature));
    digest.as_bytes()[..16]
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).to_uppercase())
        .collect::<Vec<_>>()
        .join("-")
}

fn fingerprint(public_key: &[u8]) -> String {
    hex(&Sha256::digest(public_key))[..16].to_owned()
}

/// This installation's signing key, created (in the keyring) on first use.
fn signing_key(secrets: &dyn SecretStore) -> Result<SigningKey> {
    if let Some(stored) = secrets.get(KEY_NAME)? {
        let bytes: [u8; 32] = unhex(&stored)
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| Error::internal("the certificate signing key in the keyring is damaged"))?;
        return Ok(SigningKey::from_bytes(&bytes));
    }
    let key = SigningKey::from_bytes(&rand::random::<[u8; 32]>());
    secrets.set(KEY_NAME, &hex(&key.to_bytes()))?;
    Ok(key)
}

fn facts_message(facts: &CertificateFacts) -> Result<Vec<u8>> {
    serde_json::to_vec(facts).map_err(|error| Error::internal(format!("certificate facts: {error}")))
}

/// Text as the PDF's standard Helvetica shows it (WinAnsi): Latin-1 as is,
/// anything else as '?'.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars().map(|c| u8::try_from(u32::from(c)).ok().filter(|byte| *byte >= 0x20).unwrap_or(b'?')).collect()
}

/// The lines shown on the page: (font size, text).
fn visible_lines(facts: &CertificateFacts, code: &str) -> Vec<(f32, String)> {
    vec![
        (30.0, "Certificate of Completion".to_owned()),
        (14.0, "FlashFusion Learning certifies that".to_owned()),
        (26.0, facts.name.clone()),
        (14.0, "has completed the course".to_owned()),
        (20.0, facts.course_title.clone()),
        (14.0, format!("on {}", facts.date)),
        (11.0, format!("Verification code: {code}")),
        (9.0, "Check it with: flashfusion verify-certificate <this file>".to_owned()),
    ]
}

const PAGE: (f32, f32) = (842.0, 595.0);
const FONT: Name<'static> = Name(b"F1");

/// The page's drawing: a frame and the centred lines. Deterministic, so
/// verifying can rebuild it and find it in the file byte for byte.
fn page_content(facts: &CertificateFacts, code: &str, font_name: Name<'_>, width: f32, height: f32) -> Vec<u8> {
    let mut content = Content::new();
    content.set_stroke_rgb(0.36, 0.36, 0.84).set_line_width(4.0).rect(30.0, 30.0, width - 60.0, height - 60.0).stroke();
    let mut y = height - 130.0;
    for (size, line) in visible_lines(facts, code) {
        // Helvetica averages about half an em per character: centre roughly.
        let x = (width - line.chars().count() as f32 * size * 0.5) / 2.0;
        content.begin_text().set_font(font_name, size).next_line(x.max(40.0), y).show(Str(&win_ansi(&line))).end_text();
        y -= size * 2.2;
    }
    content.finish()
}

/// Signs the facts and renders the certificate PDF; returns (PDF, code).
pub fn generate(secrets: &dyn SecretStore, facts: &CertificateFacts) -> Result<(Vec<u8>, String)> {
    if facts.name.trim().is_empty() {
        return Err(Error::new(Code::InvalidInput, "put your name on the certificate"));
    }
    let key = signing_key(secrets)?;
    let signature = key.sign(&facts_message(facts)?);
    let record = SignedRecord {
        facts: facts.clone(),
        signature: hex(&signature.to_bytes()),
        public_key: hex(key.verifying_key().as_bytes()),
    };
    Ok((render(&record)?, code_for(&signature.to_bytes())))
}

/// The PDF for a signed record. Deterministic (Ed25519 signatures are too),
/// so verifying re-renders it and compares the whole file.
fn render(record: &SignedRecord) -> Result<Vec<u8>> {
    let signature = unhex(&record.signature).ok_or_else(|| tampered("bad signature"))?;
    let code = code_for(&signature);
    let facts = &record.facts;
    let record = serde_json::to_vec(record).map_err(|error| Error::internal(format!("certificate: {error}")))?;
    let (catalog, pages, page, font, content_id, info) =
        (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5), Ref::new(6));
    let (width, height) = PAGE;
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    let mut page_writer = pdf.page(page);
    page_writer.media_box(Rect::new(0.0, 0.0, width, height)).parent(pages).contents(content_id);
    page_writer.resources().fonts().pair(FONT, font);
    page_writer.finish();
    pdf.type1_font(font).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.stream(content_id, &page_content(facts, &code, FONT, width, height));
    let mut document_info = pdf.document_info(info);
    document_info.title(TextStr(&format!("FlashFusion certificate: {}", facts.course_title)));
    document_info.creator(TextStr("FlashFusion"));
    document_info.pair(Name(RECORD_KEY), Str(hex(&record).as_bytes()));
    document_info.finish();
    Ok(pdf.finish())
}

/// Whether this installation signed the certificate. Anyone can make a key,
/// so a certificate from elsewhere is only as good as its fingerprint,
/// confirmed with whoever issued it.
pub fn signed_here(secrets: &dyn SecretStore, certificate: &VerifiedCertificate) -> Result<bool> {
    let Some(stored) = secrets.get(KEY_NAME)? else { return Ok(false) };
    let key: [u8; 32] = unhex(&stored).and_then(|bytes| bytes.try_into().ok()).unwrap_or([0; 32]);
    Ok(fingerprint(SigningKey::from_bytes(&key).verifying_key().as_bytes()) == certificate.key_fingerprint)
}

fn tampered(reason: &str) -> Error {
    Error::new(Code::InvalidInput, format!("This certificate does not verify: {reason}."))
}

/// Checks a certificate PDF: the signature over its facts, and that the
/// page shows exactly those facts.
pub fn verify(pdf: &[u8]) -> Result<VerifiedCertificate> {
    let marker = [b"/".as_slice(), RECORD_KEY, b" (".as_slice()].concat();
    let start = pdf
        .windows(marker.len())
        .position(|window| window == marker.as_slice())
        .ok_or_else(|| tampered("it carries no FlashFusion signature"))?
        + marker.len();
    let end = pdf[start..].iter().position(|byte| *byte == b')').ok_or_else(|| tampered("its signature is cut off"))?;
    let record = std::str::from_utf8(&pdf[start..start + end])
        .ok()
        .and_then(unhex)
        .and_then(|bytes| serde_json::from_slice::<SignedRecord>(&bytes).ok())
        .ok_or_else(|| tampered("its signed record is damaged"))?;
    let public_key: [u8; 32] =
        unhex(&record.public_key).and_then(|bytes| bytes.try_into().ok()).ok_or_else(|| tampered("bad public key"))?;
    let signature: [u8; 64] =
        unhex(&record.signature).and_then(|bytes| bytes.try_into().ok()).ok_or_else(|| tampered("bad signature"))?;
    let key = VerifyingKey::from_bytes(&public_key).map_err(|_| tampered("bad public key"))?;
    key.verify(&facts_message(&record.facts)?, &Signature::from_bytes(&signature))
        .map_err(|_| tampered("the signature does not match its facts"))?;
    // Anything added to or changed in the file (an edited page, an
    // incremental update drawing other text) makes it differ from what the
    // signed record renders to.
    if render(&record)? != pdf {
        return Err(tampered("the file was changed after it was signed"));
    }
    let code = code_for(&signature);
    Ok(VerifiedCertificate { facts: record.facts, code, key_fingerprint: fingerprint(&public_key) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use flashfusion_core::secrets::MemorySecrets;

    fn facts() -> CertificateFacts {
        CertificateFacts {
            name: "Ada Lovelace".into(),
            course_id: "reading".into(),
            course_title: "Reading and understanding code".into(),
            date: "2026-11-27".into(),
        }
    }

    #[test]
    fn a_certificate_verifies_and_any_edit_breaks_it() {
        let secrets = MemorySecrets::default();
        let (pdf, code) = generate(&secrets, &facts()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let verified = verify(&pdf).unwrap();
        assert_eq!(verified.facts, facts());
        assert_eq!(verified.code, code);
        // The same key signs the next one.
        let (second, _) = generate(&secrets, &facts()).unwrap();
        assert_eq!(verify(&second).unwrap().key_fingerprint, verified.key_fingerprint);
        assert!(signed_here(&secrets, &verified).unwrap());
        assert!(!signed_here(&MemorySecrets::default(), &verified).unwrap());

        let visible = String::from_utf8_lossy(&pdf).replace("(Ada Lovelace)", "(Eve Lovelace)");
        assert!(verify(visible.as_bytes()).unwrap_err().message.contains("changed after it was signed"));
        let mut appended = pdf.clone();
        appended.extend_from_slice(b"\n3 0 obj\n<< /Type /Page /Contents 7 0 R >>\nendobj\n");
        assert!(verify(&appended).is_err(), "an incremental update must not verify");
        let unusual = CertificateFacts { name: "José (Pepe) \\ Zoë — 李".into(), ..facts() };
        let (pdf_unusual, _) = generate(&secrets, &unusual).unwrap();
        assert_eq!(verify(&pdf_unusual).unwrap().facts, unusual);
        let record_start = pdf.windows(23).position(|w| w == b"/FlashFusionCertificate").unwrap() + 30;
        let mut flipped = pdf.clone();
        flipped[record_start] = if flipped[record_start] == b'a' { b'b' } else { b'a' };
        assert!(verify(&flipped).is_err());
        assert!(verify(b"%PDF-1.7 not ours").is_err());
    }
}
