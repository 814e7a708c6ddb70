import type { IssuedCertificate } from '../../ports/certificates';
import type { Reply } from '../reply';
import type { Turn } from '../turn';
import { formatDate } from './course-replies';

export function certificateReply(turn: Turn, issued: IssuedCertificate): Reply {
  const t = turn.t;
  return turn.reply({
    intent: 'certificate',
    title: t('course:certificate.title'),
    text: [t('course:certificate.text', { name: issued.learnerName, course: issued.courseTitle, org: issued.issuer.name }), t('course:certificate.notOfficial'), t('course:certificate.verifyAt', { url: issued.links.verify })].join('\n\n'),
    facts: [
      { label: t('course:certificate.name'), value: issued.learnerName },
      { label: t('course:certificate.course'), value: issued.courseTitle },
      { label: t('course:certificate.issued'), value: formatDate(new Date(issued.issuedAt), turn) },
      { label: t('course:certificate.issuer'), value: issued.issuer.name },
      { label: t('course:certificate.id'), value: issued.id },
    ],
    attachments: [
      { name: t('course:certificate.pdf'), contentType: 'application/pdf', url: issued.links.pdf },
      { name: t('course:certificate.openBadge'), contentType: 'application/ld+json', url: issued.links.openBadge },
    ],
  });
}
