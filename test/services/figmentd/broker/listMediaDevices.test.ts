import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listMediaDevices } from '../../../../services/figmentd/broker/listMediaDevices.js';
import { tempDir } from '../store/fixtures.js';

// No camera or sound card exists here, so the kernel's files are laid out as a UVC camera and an HDA card show them.
describe('listMediaDevices', () => {
  const folder = tempDir();
  afterEach(() => folder.remove());

  function file(path: string, text = ''): void {
    mkdirSync(join(folder.dir, path, '..'), { recursive: true });
    writeFileSync(join(folder.dir, path), text);
  }

  it('lists capturing video4linux nodes, ALSA cards with a capture PCM, and PipeWire', () => {
    file('dev/video0');
    file('dev/video1');
    file('dev/video2');
    file('sys/class/video4linux/video0/name', 'Integrated Camera: Integrated C\n');
    file('sys/class/video4linux/video0/index', '0\n');
    file('sys/class/video4linux/video1/index', '1\n'); // metadata node of the same camera
    file('sys/class/video4linux/video2/name', 'USB Camera\n');
    file('sys/class/video4linux/video2/index', '0\n');
    file(
      'proc/asound/cards',
      ' 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n                      HDA Intel PCH at 0xf1e40000 irq 146\n 1 [HDMI           ]: HDA-Intel - HDA Intel HDMI\n',
    );
    file('proc/asound/card0/pcm0c/info');
    file('proc/asound/card0/pcm0p/info');
    file('proc/asound/card1/pcm3p/info'); // playback only
    file('run/pipewire-0');

    const root = (name: string) => join(folder.dir, name);
    expect(
      listMediaDevices({ dev: root('dev'), sys: root('sys'), proc: root('proc'), runtimeDir: root('run') }),
    ).toEqual({
      cameras: [
        { id: 'video0', name: 'Integrated Camera: Integrated C', path: root('dev/video0') },
        { id: 'video2', name: 'USB Camera', path: root('dev/video2') },
      ],
      microphones: [{ id: 'card0', name: 'HDA Intel PCH', path: root('proc/asound/card0') }],
      pipewire: true,
    });
  });

  it('finds nothing, without failing, on a machine with no devices', () => {
    const root = (name: string) => join(folder.dir, name);
    expect(
      listMediaDevices({
        dev: root('none'),
        sys: root('none'),
        proc: root('none'),
        runtimeDir: root('none'),
      }),
    ).toEqual({
      cameras: [],
      microphones: [],
      pipewire: false,
    });
  });
});
