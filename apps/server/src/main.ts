// Vireo server entry point. The server (Fastify routes, services, host connections)
// arrives with issue 4; until then this says so plainly and fails.
process.stderr.write('Vireo server: not implemented yet (issue 4)\n');
process.exitCode = 1;

export {};
