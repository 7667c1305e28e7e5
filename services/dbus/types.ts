/** One argument of a method or signal: its name (shown by introspection) and D-Bus type. */
export type DbusArg = readonly [name: string, type: string];

export interface DbusMethodSpec {
  name: string;
  in: readonly DbusArg[];
  out: readonly DbusArg[];
}

export interface DbusSignalSpec {
  name: string;
  args: readonly DbusArg[];
}

export interface DbusPropertySpec {
  name: string;
  type: string;
  access: 'read' | 'readwrite';
}

/** Everything an interface declares; introspection is made from this and only this. */
export interface DbusInterfaceSpec {
  name: string;
  methods: readonly DbusMethodSpec[];
  signals: readonly DbusSignalSpec[];
  properties: readonly DbusPropertySpec[];
}

/** Who called: the caller's unique bus name. */
export interface DbusCall {
  sender: string;
}

/** One exported interface: its spec and what answers its methods and properties. */
export interface DbusInterfaceImpl {
  spec: DbusInterfaceSpec;
  /** Answers a method with its out values in order; throw a DbusCallError for a named error. */
  call(method: string, args: unknown[], call: DbusCall): Promise<unknown[]> | unknown[];
  /** A property's current value. */
  get(property: string): unknown;
  /** Sets a readwrite property (values arrive checked against the spec's type). */
  set?(property: string, value: unknown, call: DbusCall): void;
}

/** The choice of bus: the system or session bus, or an address (a private bus). */
export type BusChoice = 'system' | 'session' | { address: string };
