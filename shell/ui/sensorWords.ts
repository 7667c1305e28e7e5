import type { ConsentRequest } from '../../services/protocol/index.js';

/** How a capability reads in a sentence: "wants to use your location". */
export function sensorWords(capability: ConsentRequest['capability']): string {
  switch (capability) {
    case 'location':
      return 'your location';
    case 'camera':
      return 'the camera';
    case 'microphone':
      return 'the microphone';
  }
}
