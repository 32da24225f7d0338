// Public API of @os-hypervisors/storage-memory.
import 'reflect-metadata';

export { MemoryStorage } from './memory-storage.js';
export { registerMemoryStorage } from './register.js';
export { decodeDataset } from './decode-dataset.js';
export { foldAsciiCase } from './hostname-match.js';
