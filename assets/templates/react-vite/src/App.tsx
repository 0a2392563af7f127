import { useMemo, useState } from "react";
import FilterBar from "./components/FilterBar";
import NoteForm from "./components/NoteForm";
import NoteList from "./components/NoteList";
import { useLocalStorage } from "./hooks/useLocalStorage";
import type { Filter, Note } from "./types";

const STORAGE_KEY = "{{project_name}}:notes";

function createId(): string {
  if (typeof crypto !== "undefined" && "randomUUID" in crypto) {
    return crypto.randomUUID();
  }
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export default function App() {
  const [notes, setNotes] = useLocalStorage<Note[]>(STORAGE_KEY, []);
  const [filter, setFilter] = useState<Filter>("all");
  const [query, setQuery] = useState("");

  const visibleNotes = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return notes.filter((note) => {
      if (filter === "open" && note.done) return false;
      if (filter === "done" && !note.done) return false;
      return needle === "" || note.text.toLowerCase().includes(needle);
    });
  }, [notes, filter, query]);

  const doneCount = notes.filter((note) => note.done).length;

  const addNote = (text: string) => {
    const note: Note = { id: createId(), text, done: false, createdAt: Date.now() };
    setNotes((previous) => [note, ...previous]);
  };

  const toggleNote = (id: string) => {
    setNotes((previous) =>
      previous.map((note) => (note.id === id ? { ...note, done: !note.done } : note)),
    );
  };

  const updateNote = (id: string, text: string) => {
    setNotes((previous) => previous.map((note) => (note.id === id ? { ...note, text } : note)));
  };

  const deleteNote = (id: string) => {
    setNotes((previous) => previous.filter((note) => note.id !== id));
  };

  const clearDone = () => {
    setNotes((previous) => previous.filter((note) => !note.done));
  };

  return (
    <main className="app">
      <header className="app-header">
        <h1>{"{{project_name}}"}</h1>
        <p className="subtitle">Quick notes that stay in your browser.</p>
      </header>

      <NoteForm onAdd={addNote} />

      <FilterBar
        filter={filter}
        onFilterChange={setFilter}
        query={query}
        onQueryChange={setQuery}
        total={notes.length}
        done={doneCount}
        onClearDone={clearDone}
      />

      <NoteList
        notes={visibleNotes}
        emptyMessage={
          notes.length === 0 ? "No notes yet — add your first one above." : "Nothing matches this view."
        }
        onToggle={toggleNote}
        onUpdate={updateNote}
        onDelete={deleteNote}
      />
    </main>
  );
}
