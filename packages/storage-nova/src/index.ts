// Public API of @os-hypervisors/storage-nova.
import 'reflect-metadata';

export { NovaStorage } from './nova-storage.js';
export { openNovaStorage, novaDatabasesFromConf, parseCellOverride, type NovaDatabases } from './open-nova-storage.js';
export { registerNovaStorage } from './register.js';
export { statsFirstUptime } from './uptime.js';
export { CellDirectory, type Cell } from './cells.js';
export { parseNovaConf, novaConnections, type NovaConf, type NovaConnections } from './config/nova-conf.js';
export { toDriverUrl, redactUrl, redactSecrets } from './config/sqlalchemy-url.js';
export { formatCellUrl } from './config/cell-url.js';
export { CELL0_UUID, type NovaApiDatabase, type NovaCellDatabase } from './schema.js';
