fn main() {
    // The UI is embedded at compile time: rebuild when the built UI changes.
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::build()
}
