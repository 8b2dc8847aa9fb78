import {
  HostParamsSchema,
  InstallMediaListSchema,
  PoolParamsSchema,
  StoragePoolListSchema,
  StoragePoolSchema,
  StorageVolumeListSchema,
  StorageVolumeSchema,
  VolumeCreateRequestSchema,
} from '@vireo/api';
import type { RouteModule } from '../routes/route-module.js';

const TAGS = ['storage'];
const VIEWER = { auth: { role: 'viewer' as const } };
/** Pools and volumes are host resources: only admins make them. */
const ADMIN = { auth: { role: 'admin' as const } };

export const storageRoutes: RouteModule = (app, { storage }) => {
  app.get(
    '/api/v1/hosts/:host/storage/pools',
    {
      config: VIEWER,
      schema: { tags: TAGS, summary: 'Every storage pool of the host, active or not', params: HostParamsSchema, response: { 200: StoragePoolListSchema } },
    },
    (request) => storage.listPools(request.params.host),
  );

  app.post(
    '/api/v1/hosts/:host/storage/pools/default',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        summary: 'Create the `default` dir pool at /var/lib/libvirt/images (built, started, autostart) as virt-manager does; 409 when there is one',
        params: HostParamsSchema,
        response: { 201: StoragePoolSchema },
      },
    },
    async (request, reply) => {
      request.auditTarget = `host=${request.params.host},pool=default`;
      return reply.code(201).send(await storage.createDefaultPool(request.params.host));
    },
  );

  app.get(
    '/api/v1/hosts/:host/storage/pools/:pool/volumes',
    {
      config: VIEWER,
      schema: {
        tags: TAGS,
        summary: 'The volumes of an active pool, with the domains whose definitions use each',
        params: PoolParamsSchema,
        response: { 200: StorageVolumeListSchema },
      },
    },
    (request) => storage.listVolumes(request.params.host, request.params.pool),
  );

  app.post(
    '/api/v1/hosts/:host/storage/pools/:pool/volumes',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        summary: 'Create an empty (sparse) volume; 409 when the pool has one of that name',
        params: PoolParamsSchema,
        body: VolumeCreateRequestSchema,
        response: { 201: StorageVolumeSchema },
      },
    },
    async (request, reply) => {
      request.auditTarget = `host=${request.params.host},pool=${request.params.pool},volume=${request.body.name}`;
      return reply.code(201).send(await storage.createVolume(request.params.host, request.params.pool, request.body));
    },
  );

  app.get(
    '/api/v1/hosts/:host/install-media',
    {
      config: VIEWER,
      schema: {
        tags: TAGS,
        summary: 'ISO and disk images to install from: volumes of active pools and files in the configured ISO directories',
        params: HostParamsSchema,
        response: { 200: InstallMediaListSchema },
      },
    },
    (request) => storage.installMedia(request.params.host),
  );
};
