import { useState, type FormEvent } from "react";

interface NoteFormProps {
  onAdd: (text: string) => void;
}

const MAX_LENGTH = 280;

export default function NoteForm({ onAdd }: NoteFormProps) {
  const [text, setText] = useState("");
  const trimmed = text.trim();

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!trimmed) return;
    onAdd(trimmed);
    setText("");
  };

  return (
    <form className="note-form" onSubmit={handleSubmit}>
      <label htmlFor="new-note" className="visually-hidden">
        New note
      </label>
      <input
        id="new-note"
        type="text"
        value={text}
        maxLength={MAX_LENGTH}
        placeholder="What's on your mind?"
        autoComplete="off"
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" className="primary" disabled={!trimmed}>
        Add
      </button>
      {text.length > MAX_LENGTH - 40 && (
        <span className="char-count">
          {text.length}/{MAX_LENGTH}
        </span>
      )}
    </form>
  );
}
