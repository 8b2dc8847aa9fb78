export { classifyInterface, readNetInterfaces, type NetInterface, type NetInterfaceKind } from './net-interfaces.js';
export { listFiles, probeImage, type ListedFile } from './list-files.js';
export { buildSeedIso, SeedIsoError, type SeedFile, type SeedIsoOptions } from './seed-iso.js';
