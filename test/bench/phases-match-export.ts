import type { CountyTruth } from '../fixtures/county-generator';

/** Match and export phases join here as those engines land. */
export const extraPhases: Record<string, (truth: CountyTruth, workspace: string) => Promise<{ items: number; extra?: Record<string, unknown> }>> = {};
