import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a database server, to break the network on purpose:
 * `stall` (connections open, nothing gets through), `dropNextRequest` (the next statement's connection
 * is cut), `refuse` (nothing listens), `restore`.
 */
export class TcpProxy {
  private server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private stalled = false;
  private dropArmed = false;

  private constructor(
    private readonly target: { host: string; port: number },
    public port: number,
  ) {
    this.server = this.createServer();
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, 0);
    await proxy.listen();
    return proxy;
  }

  /** Everything open stays open; no byte passes either way, and new connections get no answer. */
  stall(): void {
    this.stalled = true;
  }

  /** The next bytes a client sends cut its connection (both sides), as a server crash mid-request would. */
  dropNextRequest(): void {
    this.dropArmed = true;
  }

  /** Stops listening and cuts every connection: clients get "connection refused". */
  async refuse(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Back to a working network, on the same port. */
  async restore(): Promise<void> {
    this.stalled = false;
    this.dropArmed = false;
    if (!this.server.listening) {
      this.server = this.createServer();
      await this.listen();
    }
  }

  async close(): Promise<void> {
    this.cutAll();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private cutAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.port = (this.server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private createServer(): net.Server {
    return net.createServer((client) => {
      this.track(client);
      if (this.stalled) return; // accepted, never answered
      const upstream = net.connect(this.target.port, this.target.host);
      this.track(upstream);
      const cut = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', cut);
      upstream.on('close', cut);
      client.on('data', (chunk) => {
        if (this.dropArmed) {
          this.dropArmed = false;
          cut();
        } else if (!this.stalled) upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        if (!this.stalled) client.write(chunk);
      });
    });
  }
}
