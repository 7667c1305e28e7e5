import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateBusOptions {
  /**
   * 'open' lets every local user own names and call (a session bus for tests);
   * 'system' copies the system bus's defaults (deny owning and calling) so an
   * included policy file decides. Defaults to 'open'.
   */
  defaults?: 'open' | 'system';
  /** Policy files to include, like /usr/share/dbus-1/system.d/*.conf. */
  include?: string[];
}

const openPolicy = `
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
  </policy>`;

// As in dbus-daemon's system.conf.
const systemPolicy = `
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Peer"/>
  </policy>`;

/** A real dbus-daemon of our own, on a socket in a temporary folder; gone after dispose(). */
export class PrivateBus {
  private constructor(
    readonly address: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {}

  static async start(options: PrivateBusOptions = {}): Promise<PrivateBus> {
    const dir = mkdtempSync(join(tmpdir(), 'figment-bus-'));
    const config = join(dir, 'bus.conf');
    writeFileSync(
      config,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${join(dir, 'bus')}</listen>
  <auth>EXTERNAL</auth>
  ${options.defaults === 'system' ? systemPolicy : openPolicy}
  ${(options.include ?? []).map((file) => `<include>${file}</include>`).join('\n  ')}
</busconfig>
`,
    );
    const child = spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--print-address=1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n')[0];
        if (out.includes('\n') && line) resolve(line.trim());
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        err += chunk.toString();
      });
      child.once('error', (error) =>
        reject(new Error(`dbus-daemon could not start (apt-get install dbus-daemon): ${error.message}`)),
      );
      child.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}: ${err}`)));
    });
    return new PrivateBus(address, child, dir);
  }

  async dispose(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
