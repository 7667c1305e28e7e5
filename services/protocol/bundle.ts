import { z } from 'zod';
import { appIconNames } from './appIcons.js';

/**
 * Capabilities an app may declare in its manifest. Sensors also need the
 * person's grant at run time; declaring one only lets the app ask.
 */
export const Capability = z.enum(['storage', 'location', 'camera', 'microphone']);
export type Capability = z.infer<typeof Capability>;

/** Limits that keep generated bundles small enough to validate and store quickly. */
export const bundleLimits = {
  nameChars: 60,
  descriptionChars: 240,
  htmlChars: 200_000,
} as const;

export const AppManifest = z.strictObject({
  name: z.string().trim().min(1).max(bundleLimits.nameChars),
  description: z.string().max(bundleLimits.descriptionChars).default(''),
  capabilities: z.array(Capability).max(8).default([]),
  /**
   * The catalogue icon the model chose when it made the app; the person may pick another.
   * One the catalogue lacks (a model without the grammar) is dropped, not fatal.
   */
  icon: z.enum(appIconNames).optional().catch(undefined),
});
export type AppManifest = z.infer<typeof AppManifest>;

/** What the model produces: a manifest and one self-contained HTML document. */
export const AppBundle = z.strictObject({
  manifest: AppManifest,
  html: z.string().min(1).max(bundleLimits.htmlChars),
});
export type AppBundle = z.infer<typeof AppBundle>;

/** One precise result of validating a bundle; any 'error' stops the app from running. */
export const Finding = z.object({
  /** Dotted code, e.g. "ref.external" or "script.syntax". */
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});
export type Finding = z.infer<typeof Finding>;
