import type Database from 'better-sqlite3';
import { z } from 'zod';
import { appIconNames, ErrorCode, FigmentError } from '../../protocol/index.js';

/** Names the file's kind, so another JSON file is refused with a clear message. */
export const exportFormat = 'figment-context';
/** Bumped when the file's shape changes; an import refuses a newer one and reads every older one. */
export const exportFormatVersion = 2;

/**
 * What an export holds, table by table, in an order that inserts cleanly.
 * Columns are listed here (not taken from the file) so a file can only fill known columns.
 * Vectors are left out: they are derived, and the importing kiosk may use another embedder.
 */
const exportedTables = {
  sessions: ['id', 'started_at', 'ended_at'],
  apps: [
    'id',
    'name',
    'description',
    'capabilities',
    'current_version_id',
    'created_at',
    'updated_at',
    'last_opened_at',
  ],
  app_versions: [
    'id',
    'app_id',
    'parent_id',
    'intent',
    'manifest',
    'html',
    'model',
    'prompt_version',
    'prompt_tokens',
    'completion_tokens',
    'generation_ms',
    'validation_ms',
    'created_at',
    'findings',
    'repair_attempts',
    'session_id',
  ],
  app_data: ['app_id', 'key', 'value', 'bytes', 'updated_at'],
  grants: ['app_id', 'capability', 'granted_at', 'expires_at'],
  // Row ids of these two are not kept: the importing database numbers them.
  interactions: ['session_id', 'kind', 'text', 'app_id', 'created_at'],
  audit_log: ['at', 'action', 'app_id', 'detail'],
} as const;
type TableName = keyof typeof exportedTables;
const tableNames = Object.keys(exportedTables) as TableName[];

/**
 * Columns a later format version appended to a table's rows. A file of an
 * older version has rows without them, and they take their defaults.
 */
const appendedColumns: Partial<Record<TableName, { version: number; columns: readonly string[] }[]>> = {
  // The launcher's pins and chosen icons.
  apps: [{ version: 2, columns: ['pinned_at', 'icon'] }],
};

/** A table's columns, in row order, in files of `formatVersion`. */
function columnsOf(name: TableName, formatVersion: number): readonly string[] {
  const appended = (appendedColumns[name] ?? []).filter((added) => added.version <= formatVersion);
  return [...exportedTables[name], ...appended.flatMap((added) => added.columns)];
}

const Cell = z.union([z.string(), z.number(), z.null()]);
const Row = z.array(Cell);
const ExportFile = z.object({
  format: z.literal(exportFormat),
  formatVersion: z.number().int().positive(),
  schemaVersion: z.number().int().nonnegative(),
  exportedAt: z.number().int(),
  tables: z.object(
    Object.fromEntries(tableNames.map((name) => [name, z.array(Row)])) as Record<
      TableName,
      z.ZodArray<typeof Row>
    >,
  ),
});
export type ExportFile = z.infer<typeof ExportFile>;

/** Everything in the database, as one JSON-ready value. Call inside a read transaction for a consistent copy. */
export function exportContext(db: Database.Database, schemaVersion: number, now: number): ExportFile {
  const tables = Object.fromEntries(
    tableNames.map((name) => [
      name,
      db
        .prepare(`SELECT ${columnsOf(name, exportFormatVersion).join(', ')} FROM ${name} ORDER BY rowid`)
        .raw()
        .all(),
    ]),
  ) as ExportFile['tables'];
  return { format: exportFormat, formatVersion: exportFormatVersion, schemaVersion, exportedAt: now, tables };
}

/** Reads and checks an export file's text; refuses another kind of file or a newer format. */
export function parseExport(text: string): ExportFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FigmentError(ErrorCode.Validation, 'The file is not a Figment export: it is not JSON.');
  }
  const kind = (value as { format?: unknown } | null)?.format;
  if (kind !== exportFormat) {
    throw new FigmentError(
      ErrorCode.Validation,
      `The file is not a Figment export (format ${JSON.stringify(kind)}).`,
    );
  }
  const version = (value as { formatVersion?: unknown }).formatVersion;
  if (typeof version === 'number' && version > exportFormatVersion) {
    throw new FigmentError(
      ErrorCode.Validation,
      `The export has format version ${version}; this Figment reads up to ${exportFormatVersion}. Import it with a newer Figment.`,
    );
  }
  const parsed = ExportFile.safeParse(value);
  if (!parsed.success) {
    throw new FigmentError(
      ErrorCode.Validation,
      `The export file is damaged: ${z.prettifyError(parsed.error)}`,
    );
  }
  for (const name of tableNames) {
    const width = columnsOf(name, parsed.data.formatVersion).length;
    const bad = parsed.data.tables[name].findIndex((row) => row.length !== width);
    if (bad >= 0) {
      throw new FigmentError(
        ErrorCode.Validation,
        `The export file is damaged: row ${bad} of ${name} has the wrong number of values.`,
      );
    }
  }
  return parsed.data;
}

/**
 * Adds an export's rows to the database. Call inside one transaction: an app
 * the database already has, or any row that breaks a rule, undoes it all.
 * Returns the ids of the apps it added.
 */
export function importContext(db: Database.Database, file: ExportFile): string[] {
  for (const name of tableNames) {
    const columns = columnsOf(name, file.formatVersion);
    const insert = db.prepare(
      `INSERT INTO ${name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    const rows = name === 'app_versions' ? parentsFirst(file.tables.app_versions) : file.tables[name];
    const icon = columns.indexOf('icon');
    for (const row of rows) {
      // An icon this Figment does not have (say, from a newer one) shows as the one made from the name.
      if (name === 'apps' && icon >= 0 && !(appIconNames as readonly unknown[]).includes(row[icon])) {
        row[icon] = null;
      }
      try {
        insert.run(row);
      } catch (error) {
        throw new FigmentError(
          ErrorCode.Validation,
          `Nothing was imported: a row of ${name} does not fit (${error instanceof Error ? error.message : String(error)}).` +
            (/UNIQUE|PRIMARY KEY/.test(String(error))
              ? ' This kiosk already has it: import into an empty Figment.'
              : ''),
        );
      }
    }
  }
  return file.tables.apps.map((row) => String(row[0]));
}

/** Orders versions so each parent is inserted before its children (the parent key is checked at once). */
function parentsFirst(rows: readonly (string | number | null)[][]): (string | number | null)[][] {
  const byId = new Map(rows.map((row) => [row[0], row]));
  const done = new Set<unknown>();
  const ordered: (string | number | null)[][] = [];
  const visit = (row: (string | number | null)[], depth: number) => {
    if (done.has(row[0]) || depth > rows.length) return;
    const parent = byId.get(row[2] ?? undefined);
    if (parent) visit(parent, depth + 1);
    done.add(row[0]);
    ordered.push(row);
  };
  for (const row of rows) visit(row, 0);
  return ordered;
}
