import { useCallback, useEffect, useState } from "react";

type SetValue<T> = (value: T | ((previous: T) => T)) => void;

function readValue<T>(key: string, initialValue: T): T {
  if (typeof window === "undefined") return initialValue;
  try {
    const raw = window.localStorage.getItem(key);
    return raw === null ? initialValue : (JSON.parse(raw) as T);
  } catch {
    // Corrupt JSON or storage disabled: fall back to the default.
    return initialValue;
  }
}

/**
 * Like `useState`, but the value is persisted to `localStorage` under `key`
 * and kept in sync across browser tabs.
 */
export function useLocalStorage<T>(key: string, initialValue: T): [T, SetValue<T>] {
  const [value, setValue] = useState<T>(() => readValue(key, initialValue));

  useEffect(() => {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Quota exceeded or storage unavailable: keep working in memory.
    }
  }, [key, value]);

  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === key && event.newValue !== null) {
        try {
          setValue(JSON.parse(event.newValue) as T);
        } catch {
          /* ignore malformed updates from other tabs */
        }
      }
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, [key]);

  const set = useCallback<SetValue<T>>((next) => setValue(next), []);

  return [value, set];
}
