import { readFileSync } from 'node:fs';
import dbus from 'dbus-next';
import { DbusCallError, StandardError } from './DbusCallError.js';
import { introspectionXml } from './introspectionXml.js';
import type { BusChoice, DbusCall, DbusInterfaceImpl } from './types.js';

// dbus-next is unmaintained upstream: this file is the only one that imports it.
const { Message, Variant, DBusError } = dbus as unknown as typeof import('dbus-next');
type Message = import('dbus-next').Message;
type MessageBus = import('dbus-next').MessageBus;

const METHOD_CALL = 1;
const SIGNAL = 4;
const DO_NOT_QUEUE = 4;
const PRIMARY_OWNER = 1;
const ALREADY_OWNER = 4;

/** A signal as received: who sent it and its body. */
export interface DbusSignal {
  sender: string;
  path: string;
  body: unknown[];
}

export interface SignalMatch {
  /** The sender (well-known or unique name). */
  sender: string;
  path?: string;
  interface: string;
  member: string;
}

export interface DbusConnectionOptions {
  bus: BusChoice;
  /** How long a call waits for its reply. Defaults to 25 s (libdbus's default). */
  callTimeoutMs?: number;
  /** How long opening waits for the bus. Defaults to 5 s. */
  connectTimeoutMs?: number;
}

/**
 * Our small adapter over dbus-next: one connection to one bus, exporting
 * objects described by {@link DbusInterfaceSpec}s (so introspection is
 * complete, argument names included, and every handler learns who called)
 * and calling others. A handler that throws answers the caller with a named
 * error; nothing a caller sends can throw out of here.
 */
export class DbusConnection {
  readonly #objects = new Map<string, DbusInterfaceImpl[]>();
  readonly #signalListeners = new Set<(message: Message) => void>();
  readonly #callTimeoutMs: number;
  #disposed = false;

  private constructor(
    private readonly bus: MessageBus,
    options: DbusConnectionOptions,
  ) {
    this.#callTimeoutMs = options.callTimeoutMs ?? 25_000;
    bus.addMethodHandler((message: Message) => this.#onMethodCall(message));
    bus.on('message', (message: Message) => {
      if (message.type !== SIGNAL) return;
      for (const listener of this.#signalListeners) listener(message);
    });
  }

  /** Connects to a bus; fails with a DbusCallError when there is none to reach. */
  static async open(options: DbusConnectionOptions): Promise<DbusConnection> {
    const choice = options.bus;
    let bus: MessageBus;
    try {
      bus =
        choice === 'system'
          ? dbus.systemBus()
          : choice === 'session'
            ? dbus.sessionBus()
            : dbus.sessionBus({ busAddress: choice.address });
    } catch (error) {
      throw new DbusCallError(
        StandardError.Failed,
        `cannot reach the ${describeBus(choice)}: ${String(error)}`,
      );
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new DbusCallError(StandardError.NoReply, `the ${describeBus(choice)} did not answer`));
      }, options.connectTimeoutMs ?? 5000);
      bus.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      bus.once('error', (error: unknown) => {
        clearTimeout(timer);
        reject(
          new DbusCallError(
            StandardError.Failed,
            `cannot reach the ${describeBus(choice)}: ${String(error)}`,
          ),
        );
      });
    });
    // Later stream errors (the bus went away) must not crash the process.
    bus.on('error', () => {});
    return new DbusConnection(bus, options);
  }

  /** This connection's unique name, e.g. `:1.42`. */
  get uniqueName(): string {
    return (this.bus as unknown as { name: string | null }).name ?? '';
  }

  /** Owns a well-known name, or fails (AccessDenied under a policy that forbids it, or taken). */
  async requestName(name: string): Promise<void> {
    const reply = await this.#wrap(() => this.bus.requestName(name, DO_NOT_QUEUE));
    if (reply !== PRIMARY_OWNER && reply !== ALREADY_OWNER) {
      throw new DbusCallError(StandardError.AccessDenied, `the name ${name} is taken`);
    }
  }

  async releaseName(name: string): Promise<void> {
    await this.#wrap(() => this.bus.releaseName(name));
  }

  /** Serves these interfaces at this path (replacing what was there). */
  exportObject(path: string, interfaces: DbusInterfaceImpl[]): void {
    this.#use();
    this.#objects.set(path, interfaces);
  }

  unexportObject(path: string): void {
    this.#objects.delete(path);
  }

  emitSignal(path: string, iface: string, member: string, signature: string, body: unknown[]): void {
    if (this.#disposed) return;
    this.bus.send(Message.newSignal(path, iface, member, signature, body));
  }

  /** Calls a method and returns the reply's body; a D-Bus error becomes a DbusCallError with its name. */
  async call(
    destination: string,
    path: string,
    iface: string,
    member: string,
    signature = '',
    body: unknown[] = [],
  ): Promise<unknown[]> {
    this.#use();
    const message = new Message({ destination, path, interface: iface, member, signature, body });
    const reply = await this.#wrap(() => this.bus.call(message), `${iface}.${member}`);
    return reply?.body ?? [];
  }

  /** Reads one property (unwrapped from its variant). */
  async getProperty(destination: string, path: string, iface: string, name: string): Promise<unknown> {
    const [variant] = await this.call(destination, path, 'org.freedesktop.DBus.Properties', 'Get', 'ss', [
      iface,
      name,
    ]);
    return (variant as { value: unknown }).value;
  }

  async setProperty(
    destination: string,
    path: string,
    iface: string,
    name: string,
    type: string,
    value: unknown,
  ): Promise<void> {
    await this.call(destination, path, 'org.freedesktop.DBus.Properties', 'Set', 'ssv', [
      iface,
      name,
      new Variant(type, value),
    ]);
  }

  /** The Unix user id of a connection on this bus, as the bus daemon vouches for it. */
  async callerUid(sender: string): Promise<number> {
    const [uid] = await this.call(
      'org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus',
      'GetConnectionUnixUser',
      's',
      [sender],
    );
    return Number(uid);
  }

  /** Listens to a signal; returns the function that stops listening. */
  async onSignal(match: SignalMatch, listener: (signal: DbusSignal) => void): Promise<() => Promise<void>> {
    const rule = [
      "type='signal'",
      `sender='${match.sender}'`,
      match.path ? `path='${match.path}'` : '',
      `interface='${match.interface}'`,
      `member='${match.member}'`,
    ]
      .filter(Boolean)
      .join(',');
    const bus = 'org.freedesktop.DBus';
    await this.call(bus, '/org/freedesktop/DBus', bus, 'AddMatch', 's', [rule]);
    const wrapped = (message: Message) => {
      if (message.interface !== match.interface || message.member !== match.member) return;
      if (match.path && message.path !== match.path) return;
      listener({ sender: message.sender, path: message.path, body: message.body });
    };
    this.#signalListeners.add(wrapped);
    return async () => {
      this.#signalListeners.delete(wrapped);
      if (!this.#disposed)
        await this.call(bus, '/org/freedesktop/DBus', bus, 'RemoveMatch', 's', [rule]).catch(() => {});
    };
  }

  /** Closes the connection. Harmless to call twice. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#objects.clear();
    this.#signalListeners.clear();
    this.bus.disconnect();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #use(): void {
    if (this.#disposed) throw new DbusCallError(StandardError.Failed, 'the D-Bus connection is closed');
  }

  async #wrap<T>(work: () => Promise<T>, what = 'the call'): Promise<T> {
    this.#use();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DbusCallError(StandardError.NoReply, `${what} got no reply in time`)),
        this.#callTimeoutMs,
      );
    });
    try {
      return await Promise.race([work(), timeout]);
    } catch (error) {
      if (error instanceof DBusError) throw new DbusCallError(error.type, error.text);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Claims calls to our objects (and Introspect on their parents); answers them asynchronously. */
  #onMethodCall(message: Message): boolean {
    if (message.type !== METHOD_CALL) return false;
    const interfaces = this.#objects.get(message.path);
    const children = this.#childrenOf(message.path);
    if (!interfaces && children.length === 0) return false;
    this.#answer(message, interfaces ?? [], children).then(
      ([signature, body]) => this.#reply(message, () => Message.newMethodReturn(message, signature, body)),
      (error: unknown) => {
        const coded =
          error instanceof DbusCallError
            ? error
            : new DbusCallError(StandardError.Failed, 'The service failed; its log has details.');
        this.#reply(message, () =>
          Message.newError(message as unknown as string, coded.errorName, coded.message),
        );
      },
    );
    return true;
  }

  #reply(message: Message, make: () => Message): void {
    if (this.#disposed || (message.flags & 1) === 1) return; // NO_REPLY_EXPECTED
    try {
      this.bus.send(make());
    } catch {
      // An answer that cannot be marshalled is a bug on our side; the caller's own timeout ends its wait.
    }
  }

  async #answer(
    message: Message,
    interfaces: DbusInterfaceImpl[],
    children: string[],
  ): Promise<[string, unknown[]]> {
    const iface = message.interface ?? '';
    const member = message.member;
    const signature = message.signature ?? '';
    const body = message.body ?? [];
    const call: DbusCall = { sender: message.sender };
    if (iface === 'org.freedesktop.DBus.Introspectable' && member === 'Introspect') {
      expectSignature(signature, '');
      return [
        's',
        [
          introspectionXml(
            interfaces.map((i) => i.spec),
            children,
          ),
        ],
      ];
    }
    if (interfaces.length === 0) {
      throw new DbusCallError(StandardError.UnknownObject, `there is no object at ${message.path}`);
    }
    if (iface === 'org.freedesktop.DBus.Peer') {
      if (member === 'Ping') return ['', []];
      if (member === 'GetMachineId') return ['s', [machineId()]];
    }
    if (iface === 'org.freedesktop.DBus.Properties')
      return this.#properties(member, signature, body, interfaces, call);
    const impl = iface
      ? interfaces.find((i) => i.spec.name === iface)
      : interfaces.find((i) => i.spec.methods.some((m) => m.name === member));
    if (!impl)
      throw new DbusCallError(StandardError.UnknownInterface, `${message.path} has no interface ${iface}`);
    const method = impl.spec.methods.find((m) => m.name === member);
    if (!method)
      throw new DbusCallError(StandardError.UnknownMethod, `${impl.spec.name} has no method ${member}`);
    expectSignature(signature, method.in.map(([, type]) => type).join(''));
    const out = await impl.call(member, body, call);
    return [method.out.map(([, type]) => type).join(''), out];
  }

  #properties(
    member: string,
    signature: string,
    body: unknown[],
    interfaces: DbusInterfaceImpl[],
    call: DbusCall,
  ): [string, unknown[]] {
    const find = (name: unknown) => {
      const impl = interfaces.find((i) => i.spec.name === name);
      if (!impl) throw new DbusCallError(StandardError.UnknownInterface, `no interface ${String(name)} here`);
      return impl;
    };
    const property = (impl: DbusInterfaceImpl, name: unknown) => {
      const spec = impl.spec.properties.find((p) => p.name === name);
      if (!spec)
        throw new DbusCallError(
          StandardError.UnknownProperty,
          `${impl.spec.name} has no property ${String(name)}`,
        );
      return spec;
    };
    if (member === 'Get') {
      expectSignature(signature, 'ss');
      const impl = find(body[0]);
      const spec = property(impl, body[1]);
      return ['v', [new Variant(spec.type, impl.get(spec.name))]];
    }
    if (member === 'GetAll') {
      expectSignature(signature, 's');
      const impl = find(body[0]);
      const all: Record<string, unknown> = {};
      for (const spec of impl.spec.properties) all[spec.name] = new Variant(spec.type, impl.get(spec.name));
      return ['a{sv}', [all]];
    }
    if (member === 'Set') {
      expectSignature(signature, 'ssv');
      const impl = find(body[0]);
      const spec = property(impl, body[1]);
      if (spec.access !== 'readwrite' || !impl.set) {
        throw new DbusCallError(StandardError.PropertyReadOnly, `${spec.name} is read-only`);
      }
      const variant = body[2] as { signature: string; value: unknown };
      if (variant.signature !== spec.type) {
        throw new DbusCallError(
          StandardError.InvalidArgs,
          `${spec.name} is of type ${spec.type}, not ${variant.signature}`,
        );
      }
      impl.set(spec.name, variant.value, call);
      return ['', []];
    }
    throw new DbusCallError(
      StandardError.UnknownMethod,
      `org.freedesktop.DBus.Properties has no method ${member}`,
    );
  }

  #childrenOf(path: string): string[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    const names = new Set<string>();
    for (const exported of this.#objects.keys()) {
      if (exported.startsWith(prefix) && exported !== path) {
        const first = exported.slice(prefix.length).split('/')[0];
        if (first) names.add(first);
      }
    }
    return [...names].sort();
  }
}

function expectSignature(given: string, expected: string): void {
  if (given !== expected) {
    throw new DbusCallError(
      StandardError.InvalidArgs,
      `arguments of type "${given}" given where "${expected}" is expected`,
    );
  }
}

function machineId(): string {
  for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      // try the next place
    }
  }
  throw new DbusCallError(StandardError.Failed, 'this machine has no machine id');
}

function describeBus(choice: BusChoice): string {
  return typeof choice === 'string' ? `${choice} bus` : `bus at ${choice.address}`;
}
