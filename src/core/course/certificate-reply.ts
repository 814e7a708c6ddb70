import type { IssuedCertificate } from '../../ports/certificates';
import type { Reply } from '../../intents/reply';
import type { Turn } from '../turn';
import { action, formatDate } from './course-replies';
import { literal } from '../markdown-literal';

export function certificateReply(turn: Turn, issued: IssuedCertificate): Reply {
  const t = turn.t;
  const org = issued.issuer.name ? literal(issued.issuer.name) : t('common:organisation.notConfigured');
  return turn.reply({
    intent: 'certificate',
    title: t('course:certificate.title'),
    text: [
      t('course:certificate.text', { name: literal(issued.learnerName), course: issued.courseTitle, org }),
      t('course:certificate.notOfficial'),
      t('course:certificate.verifyAt', { url: issued.links.verify }),
    ].join('\n\n'),
    facts: [
      { label: t('course:certificate.name'), value: literal(issued.learnerName) },
      { label: t('course:certificate.course'), value: issued.courseTitle },
      { label: t('course:certificate.issued'), value: formatDate(new Date(issued.issuedAt), turn) },
      { label: t('course:certificate.issuer'), value: org },
      { label: t('course:certificate.id'), value: issued.id },
    ],
    attachments: [
      { name: t('course:certificate.pdf'), contentType: 'application/pdf', url: issued.links.pdf },
      { name: t('course:certificate.openBadge'), contentType: 'application/ld+json', url: issued.links.openBadge },
      { name: t('course:certificate.page.signed'), contentType: 'application/vc+jwt', url: issued.links.signedOpenBadge },
    ],
    // After the certificate: keep what was learnt fresh, or look back over the course.
    actions: [action(turn, 'review', 'review'), action(turn, 'modules', 'modules')],
  });
}
