import type { Filter } from "../types";

interface FilterBarProps {
  filter: Filter;
  onFilterChange: (filter: Filter) => void;
  query: string;
  onQueryChange: (query: string) => void;
  total: number;
  done: number;
  onClearDone: () => void;
}

const FILTERS: { value: Filter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "open", label: "Open" },
  { value: "done", label: "Done" },
];

export default function FilterBar({
  filter,
  onFilterChange,
  query,
  onQueryChange,
  total,
  done,
  onClearDone,
}: FilterBarProps) {
  return (
    <section className="filter-bar" aria-label="Filters">
      <div className="segmented" role="group" aria-label="Show">
        {FILTERS.map(({ value, label }) => (
          <button
            key={value}
            type="button"
            className={filter === value ? "active" : undefined}
            aria-pressed={filter === value}
            onClick={() => onFilterChange(value)}
          >
            {label}
          </button>
        ))}
      </div>

      <input
        type="search"
        className="search"
        placeholder="Search notes…"
        aria-label="Search notes"
        value={query}
        onChange={(event) => onQueryChange(event.target.value)}
      />

      <div className="stats">
        <span>
          {total - done} open · {done} done
        </span>
        {done > 0 && (
          <button type="button" className="link" onClick={onClearDone}>
            Clear done
          </button>
        )}
      </div>
    </section>
  );
}
