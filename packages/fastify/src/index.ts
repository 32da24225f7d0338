import { coreRequestFromUrl, wireHeaders, type Credentials, type Handler } from '@os-hypervisors/core';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface HypervisorsPluginOptions {
  /** The core handler to serve. */
  readonly handler: Handler;
  /** Credentials established by the host application (its own auth); when absent the core's resolvers run. */
  readonly credentials?: (request: FastifyRequest) => Credentials | undefined;
  /**
   * Where the API lives in the public URL, instead of the plugin's `prefix` (register with
   * `{ prefix: '/compute' }` and links follow). `''` builds links as at the root whatever the prefix.
   */
  readonly mountPath?: string;
}

const plugin: FastifyPluginAsync<HypervisorsPluginOptions> = async (fastify, options) => {
  const { handler } = options;
  // The core reads no body and answers unsupported Content-Types itself (Nova's 415), so Fastify must
  // neither parse nor refuse one: in this encapsulated context every type is accepted and left unread.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  const mountPath = options.mountPath ?? fastify.prefix;
  fastify.route({
    // Every method Fastify routes: Nova answers unrouted methods itself (a bare 404, never 405).
    method: fastify.supportedMethods,
    url: '/*',
    // HEAD is in the list already; Fastify's automatic HEAD route would otherwise collide with it.
    exposeHeadRoute: false,
    handler: async (request, reply) => {
      // request.raw.url is the raw full target, the prefix included; the core splits it at the mount.
      const core = coreRequestFromUrl({ method: request.method, url: request.raw.url ?? request.url, mountPath, headers: request.raw.headersDistinct, scheme: request.protocol });
      const response = await handler(core, options.credentials?.(request));
      reply.code(response.status);
      // An array value is written as separate fields: Nova's two `Vary` headers stay two.
      for (const [name, value] of wireHeaders(response)) reply.header(name, value);
      // A Buffer is sent as is: a string would get `; charset=utf-8` added to the core's Content-Type. An
      // empty body is none at all (the bare 200 to OPTIONS), which Fastify labels with no Content-Type.
      return response.body === '' ? reply.send() : reply.send(Buffer.from(response.body, 'utf8'));
    },
  });
};

/**
 * Fastify plugin serving the core handler: `app.register(hypervisorsPlugin, { handler, prefix: '/compute' })`.
 * Encapsulated (fastify-plugin's `encapsulate: true`), so its `prefix` applies and its content-type
 * handling stays inside it. It decides nothing: the core answers every path under the prefix.
 */
export const hypervisorsPlugin = fp(plugin, { name: '@os-hypervisors/fastify', fastify: '5.x', encapsulate: true });
export default hypervisorsPlugin;
