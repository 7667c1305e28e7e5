/**
 * Removes what the frame's CSP cannot refuse. Runs first in every app frame,
 * before any app code, and is defence in depth for the browser host, where
 * no session filter sees the frame's traffic.
 *
 * WebRTC is the one network path a Content-Security-Policy does not govern
 * (Chromium ignores the draft `webrtc` directive): an RTCPeerConnection sends
 * STUN over UDP and TURN over TCP to any address the app names. With the
 * constructors gone there is no other way to reach them: the frame cannot
 * make a new realm (no nested frames, no popups, no workers under its CSP).
 */
const removed = [
  'RTCPeerConnection',
  'webkitRTCPeerConnection',
  'RTCDataChannel',
  'RTCIceCandidate',
  'RTCSessionDescription',
  'RTCRtpSender',
  'RTCRtpReceiver',
  'RTCRtpTransceiver',
  'RTCDtlsTransport',
  'RTCIceTransport',
  'RTCSctpTransport',
  'RTCCertificate',
  'RTCEncodedAudioFrame',
  'RTCEncodedVideoFrame',
] as const;

export function lockDownFrame(scope: typeof globalThis): void {
  for (const name of removed) {
    // Own, configurable properties of the global: delete really removes them.
    Reflect.deleteProperty(scope, name);
  }
}
