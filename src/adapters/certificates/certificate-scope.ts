import type { Translate } from '../../i18n/i18n';
import { roundedHours } from '../../core/course/estimate';
import type { CertificateRecord } from '../../ports/certificates';

/** The certificate's statement of what was completed: the estimated learning time and the modules (absent on older certificates). */
export function certificateScope(record: Pick<CertificateRecord, 'estimatedMinutes' | 'modules'>, t: Translate): { duration?: string; modules?: string } {
  const duration =
    record.estimatedMinutes !== undefined ? t('course:certificate.document.duration', { duration: t('course:estimate.about', { count: roundedHours(record.estimatedMinutes) }) }) : undefined;
  const modules = record.modules?.length ? t('course:certificate.document.modules', { modules: record.modules.join('; ') }) : undefined;
  return { duration, modules };
}
