import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';

/** Section name -> option name -> value: the last assignment wins, as for oslo.config's single-valued options. */
export type NovaConf = ReadonlyMap<string, ReadonlyMap<string, string>>;

/**
 * oslo.config's INI dialect (oslo_config/iniparser.py): `[section]`, `key = value` or `key: value`
 * (whichever separator comes first), `#`/`;` comments, indented continuation lines joined with a newline,
 * one pair of matching quotes stripped. Several files are read in order, later ones overriding.
 * Option names compare with `-` and `_` alike, as oslo.config normalises them.
 */
export const parseNovaConf = (texts: ReadonlyArray<{ readonly name: string; readonly text: string }>): Either<string, NovaConf> => {
  const sections = new Map<string, Map<string, string>>();
  for (const { name, text } of texts) {
    let section: Map<string, string> | undefined;
    let key: string | undefined;
    let value: string[] = [];
    const flush = () => {
      if (key !== undefined && section !== undefined) section.set(key, value.join('\n'));
      key = undefined;
      value = [];
    };
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trimEnd();
      const where = `${name} line ${i + 1}`;
      if (line === '') {
        flush();
        continue;
      }
      if (line.startsWith(' ') || line.startsWith('\t')) {
        if (key === undefined) return left(`${where}: unexpected continuation line`);
        value.push(line.trimStart());
        continue;
      }
      flush();
      if (line.startsWith('[')) {
        if (!line.endsWith(']') || line.length <= 2) return left(`${where}: invalid section header`);
        const sectionName = line.slice(1, -1);
        section = sections.get(sectionName) ?? new Map();
        sections.set(sectionName, section);
        continue;
      }
      if (line.startsWith('#') || line.startsWith(';')) continue;
      const colon = line.indexOf(':');
      const equal = line.indexOf('=');
      if (colon < 0 && equal < 0) return left(`${where}: no ':' or '=' in an assignment`);
      const at = colon < 0 || (equal >= 0 && equal < colon) ? equal : colon;
      const k = line.slice(0, at).trim();
      if (k === '') return left(`${where}: empty option name`);
      if (section === undefined) return left(`${where}: an option outside any section`);
      let v = line.slice(at + 1).trim();
      if (v.length >= 2 && v[0] === v[v.length - 1] && (v[0] === '"' || v[0] === "'")) v = v.slice(1, -1);
      key = k.replace(/-/g, '_');
      value = [v];
    }
    flush();
  }
  return right(sections);
};

export const confValue = (conf: NovaConf, section: string, option: string): string | undefined => {
  const value = conf.get(section)?.get(option);
  return value === undefined || value === '' ? undefined : value;
};

/** The connections Nova's API service would use. */
export interface NovaConnections {
  /** `[api_database] connection`: where `cell_mappings`, `host_mappings` and aggregates live. */
  readonly apiDatabase: string;
  /** `[database] connection`, which fills `{username}`-style templates in `cell_mappings.database_connection`. */
  readonly database?: string;
}

export const novaConnections = (conf: NovaConf): Either<string, NovaConnections> => {
  const apiDatabase = confValue(conf, 'api_database', 'connection');
  if (apiDatabase === undefined) return left('nova.conf has no [api_database] connection');
  const database = confValue(conf, 'database', 'connection');
  return right(database === undefined ? { apiDatabase } : { apiDatabase, database });
};
