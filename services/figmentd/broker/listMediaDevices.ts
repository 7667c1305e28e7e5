import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MediaDevice {
  /** Stable within a boot: `video0`, `card1`. */
  id: string;
  name: string;
  /** The device node or ALSA card folder. */
  path: string;
}

export interface MediaDevices {
  cameras: MediaDevice[];
  microphones: MediaDevice[];
  /** Whether a PipeWire daemon serves this user (then browsers capture through it). */
  pipewire: boolean;
}

export interface MediaRoots {
  /** Defaults to /dev. */
  dev?: string;
  /** Defaults to /sys. */
  sys?: string;
  /** Defaults to /proc. */
  proc?: string;
  /** Defaults to $XDG_RUNTIME_DIR. */
  runtimeDir?: string;
}

/**
 * Lists cameras (video4linux nodes that capture) and microphones (ALSA cards
 * with a capture PCM), and whether PipeWire runs. Reading is all it does:
 * nothing is opened, so listing never turns a camera light on.
 */
export function listMediaDevices(roots: MediaRoots = {}): MediaDevices {
  const dev = roots.dev ?? '/dev';
  const sys = roots.sys ?? '/sys';
  const proc = roots.proc ?? '/proc';
  const runtimeDir = roots.runtimeDir ?? process.env.XDG_RUNTIME_DIR;

  const cameras = safeList(dev)
    .filter((name) => /^video\d+$/.test(name))
    .filter((name) => capturesVideo(join(sys, 'class', 'video4linux', name)))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
    .map((name) => ({
      id: name,
      name: safeRead(join(sys, 'class', 'video4linux', name, 'name')) || name,
      path: join(dev, name),
    }));

  const microphones: MediaDevice[] = [];
  // " 0 [PCH            ]: HDA-Intel - HDA Intel PCH"
  for (const line of safeRead(join(proc, 'asound', 'cards')).split('\n')) {
    const match = /^\s*(\d+)\s+\[[^\]]*\]:\s*(.*?)\s*$/.exec(line);
    if (!match?.[1]) continue;
    const folder = join(proc, 'asound', `card${match[1]}`);
    if (!safeList(folder).some((entry) => /^pcm\d+c$/.test(entry))) continue;
    const long = match[2]?.split(' - ').slice(1).join(' - ') || match[2] || `card${match[1]}`;
    microphones.push({ id: `card${match[1]}`, name: long, path: folder });
  }

  const pipewire = runtimeDir !== undefined && existsSync(join(runtimeDir, 'pipewire-0'));
  return { cameras, microphones, pipewire };
}

/**
 * A video4linux node captures when its index is 0: UVC cameras add a second
 * node (index 1) for metadata only. Without sysfs, count it.
 */
function capturesVideo(sysFolder: string): boolean {
  const index = safeRead(join(sysFolder, 'index'));
  return index === '' || index === '0';
}

function safeList(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
