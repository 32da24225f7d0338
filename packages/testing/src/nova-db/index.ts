export {
  buildNovaDatabases, novaDatabasesAvailability, runNovaDbScript, NOVA_DB_SCRIPT, DEFAULT_SERVERS,
  type BuildNovaDatabasesOptions, type NovaDatabases, type NovaDbChange, type NovaCell, type NovaDialect,
  type NovaDatabaseName, type CellName, type DatabaseServer, type ReadOnlyUser,
} from './build.js';
