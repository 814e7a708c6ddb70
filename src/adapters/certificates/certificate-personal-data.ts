import type { PersonalDataSource } from '../../core/privacy/personal-data';
import type { CertificateStore } from './certificate-store';

/** Certificates of completion: exported whole; erased by revoking them without the holder's name. */
export function certificateSource(certificates: CertificateStore, courseIds: () => string[], now: () => Date = () => new Date()): PersonalDataSource {
  return {
    name: 'certificates',
    labelKey: 'privacy:sections.certificates',
    export: async (subject) => {
      const held = await certificates.heldBy(subject.learnerKey, courseIds());
      return { count: held.length, data: held.map((record) => ({ ...record, links: certificates.links(record.id) })) };
    },
    erase: (subject) => certificates.revokeHeldBy(subject.learnerKey, courseIds(), now()),
  };
}
