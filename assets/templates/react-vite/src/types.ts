export interface Note {
  id: string;
  text: string;
  done: boolean;
  createdAt: number;
}

export type Filter = "all" | "open" | "done";
