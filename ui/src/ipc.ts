import { Channel, invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { Commands, ErrorCode, Events, IpcError } from "./bindings";

/** Commands declared with `args: null` take no argument at the call site. */
type ArgumentsOf<K extends keyof Commands> = Commands[K]["args"] extends null ? [] : [args: Commands[K]["args"]];

/** Typed `invoke`: every rejection is normalised to an IpcError. */
export async function call<K extends keyof Commands>(name: K, ...args: ArgumentsOf<K>): Promise<Commands[K]["result"]> {
  try {
    if (args.length === 0) return await invoke<Commands[K]["result"]>(name);
    return await invoke<Commands[K]["result"]>(name, { args: args[0] });
  } catch (error) {
    throw toIpcError(error);
  }
}

/** Commands that stream events over a channel while they run. */
type StreamingCommand = { [K in keyof Commands]: Commands[K] extends { channel: unknown } ? K : never }[keyof Commands];
type ChannelEvent<K extends StreamingCommand> = Commands[K] extends { channel: infer Event } ? Event : never;

/**
 * Typed `invoke` for a streaming command: `onEvent` receives every event, in
 * order, until the command resolves with its result. Rejections are
 * normalised to an IpcError as in `call`.
 */
export async function stream<K extends StreamingCommand>(
  name: K,
  args: Commands[K]["args"],
  onEvent: (event: ChannelEvent<K>) => void,
): Promise<Commands[K]["result"]> {
  const channel = new Channel<ChannelEvent<K>>();
  channel.onmessage = onEvent;
  try {
    // The Rust parameter is `on_event`; Tauri maps it to camelCase.
    return await invoke<Commands[K]["result"]>(name, { args, onEvent: channel });
  } catch (error) {
    throw toIpcError(error);
  }
}

export function isIpcError(error: unknown, code?: ErrorCode): error is IpcError {
  if (typeof error !== "object" || error === null) return false;
  const candidate = error as Partial<IpcError>;
  if (typeof candidate.code !== "string" || typeof candidate.message !== "string") return false;
  return code === undefined || candidate.code === code;
}

/** The text to show a person for any failure (IPC or a bug in the UI itself). */
export function errorMessage(error: unknown): string {
  if (isIpcError(error)) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

// A rejection that is not the Rust error shape (a missing command, a plugin
// permission denial) still has to reach the user, so it becomes "internal".
function toIpcError(error: unknown): IpcError {
  if (isIpcError(error)) return error;
  return { code: "internal", message: errorMessage(error) };
}

export function onEvent<K extends keyof Events>(name: K, handler: (payload: Events[K]) => void): Promise<UnlistenFn> {
  return listen<Events[K]>(name, (event) => handler(event.payload));
}
