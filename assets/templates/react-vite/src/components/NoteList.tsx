import type { Note } from "../types";
import NoteItem from "./NoteItem";

interface NoteListProps {
  notes: Note[];
  emptyMessage: string;
  onToggle: (id: string) => void;
  onUpdate: (id: string, text: string) => void;
  onDelete: (id: string) => void;
}

export default function NoteList({ notes, emptyMessage, onToggle, onUpdate, onDelete }: NoteListProps) {
  if (notes.length === 0) {
    return <p className="empty">{emptyMessage}</p>;
  }

  return (
    <ul className="note-list">
      {notes.map((note) => (
        <NoteItem key={note.id} note={note} onToggle={onToggle} onUpdate={onUpdate} onDelete={onDelete} />
      ))}
    </ul>
  );
}
