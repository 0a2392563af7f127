import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { Note } from "../types";

interface NoteItemProps {
  note: Note;
  onToggle: (id: string) => void;
  onUpdate: (id: string, text: string) => void;
  onDelete: (id: string) => void;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export default function NoteItem({ note, onToggle, onUpdate, onDelete }: NoteItemProps) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(note.text);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (editing) inputRef.current?.select();
  }, [editing]);

  // Set once an edit is saved or cancelled, so the blur that can fire while the
  // input unmounts doesn't save a second time (or save a cancelled draft).
  const finishedRef = useRef(false);

  const startEditing = () => {
    finishedRef.current = false;
    setDraft(note.text);
    setEditing(true);
  };

  const commit = () => {
    if (finishedRef.current) return;
    finishedRef.current = true;
    const text = draft.trim();
    if (text && text !== note.text) onUpdate(note.id, text);
    setEditing(false);
  };

  const cancel = () => {
    finishedRef.current = true;
    setEditing(false);
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") commit();
    if (event.key === "Escape") cancel();
  };

  return (
    <li className={`note${note.done ? " done" : ""}`}>
      <input
        type="checkbox"
        checked={note.done}
        onChange={() => onToggle(note.id)}
        aria-label={note.done ? "Mark as open" : "Mark as done"}
      />

      <div className="note-body">
        {editing ? (
          <input
            ref={inputRef}
            className="edit"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onBlur={commit}
            onKeyDown={handleKeyDown}
            aria-label="Edit note"
          />
        ) : (
          <span className="note-text" onDoubleClick={startEditing} title="Double-click to edit">
            {note.text}
          </span>
        )}
        <time className="note-date" dateTime={new Date(note.createdAt).toISOString()}>
          {dateFormat.format(note.createdAt)}
        </time>
      </div>

      <div className="note-actions">
        {!editing && (
          <button type="button" className="icon" onClick={startEditing} aria-label="Edit note">
            ✎
          </button>
        )}
        <button type="button" className="icon danger" onClick={() => onDelete(note.id)} aria-label="Delete note">
          ✕
        </button>
      </div>
    </li>
  );
}
