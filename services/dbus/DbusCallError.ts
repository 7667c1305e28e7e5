/** An error the caller receives as a named D-Bus error (e.g. `io.figment.Broker1.Error.Denied`). */
export class DbusCallError extends Error {
  override readonly name = 'DbusCallError';

  constructor(
    /** The D-Bus error name. */
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

/** The freedesktop error names this adapter answers with itself. */
export const StandardError = {
  UnknownMethod: 'org.freedesktop.DBus.Error.UnknownMethod',
  UnknownInterface: 'org.freedesktop.DBus.Error.UnknownInterface',
  UnknownObject: 'org.freedesktop.DBus.Error.UnknownObject',
  UnknownProperty: 'org.freedesktop.DBus.Error.UnknownProperty',
  PropertyReadOnly: 'org.freedesktop.DBus.Error.PropertyReadOnly',
  InvalidArgs: 'org.freedesktop.DBus.Error.InvalidArgs',
  AccessDenied: 'org.freedesktop.DBus.Error.AccessDenied',
  Failed: 'org.freedesktop.DBus.Error.Failed',
  ServiceUnknown: 'org.freedesktop.DBus.Error.ServiceUnknown',
  NameHasNoOwner: 'org.freedesktop.DBus.Error.NameHasNoOwner',
  NoReply: 'org.freedesktop.DBus.Error.NoReply',
} as const;
