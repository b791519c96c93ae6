/**
 * The names of the contract's channels, without their schemas: the sandboxed preload imports only this
 * (it cannot load packages such as zod), and contract.ts checks that its schemas cover exactly these names.
 */
export const CHANNELS = [
  'workspace.recent',
  'workspace.open',
  'workspace.status',
  'workspace.setPassword',
  'import.preview',
  'import.run',
  'roll.remove',
  'match.run',
  'job.cancel',
  'review.list',
  'review.decide',
  'review.undo',
  'results.list',
  'results.places',
  'results.rates',
  'results.export',
  'person.get',
  'search.find',
  'id.reveal',
  'export.run',
  'audit.list',
  'audit.verify',
  'settings.actor',
  'settings.get',
  'settings.set',
  'backup.list',
  'backup.create',
  'backup.restore',
  'dispatch.run',
  'dispatch.list',
  'returns.import',
  'progress.trend',
  'subsidy.import',
  'subsidy.summary',
  'subsidy.tiers',
  'subsidy.setTiers',
  // issue 14 item 2: listed numbers no person carries, proposed persons and the clerk's links
  'subsidy.links',
  'subsidy.decideLink',
] as const;

export type ChannelName = (typeof CHANNELS)[number];
