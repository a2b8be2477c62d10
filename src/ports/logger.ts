/** The one logger every layer writes to: the Action maps it onto @actions/core, the CLI onto stderr. */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  /** Detail only worth seeing with step debugging on. */
  debug?(message: string): void;
}

export const SILENT_LOGGER: Logger = { info: () => {}, warning: () => {} };
