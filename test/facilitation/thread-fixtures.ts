/** Six replies in a discussion thread: three about procurement, three about data quality (one with an e-mail, two with questions). */
export const THREAD_REPLIES = [
  'Our procurement rules make it hard to buy AI tools from small vendors. Procurement of software takes a year.',
  'Procurement is the bottleneck: vendors must pass long security reviews before any pilot can start.',
  'We lost a good vendor because the procurement process was far too slow for a pilot. What does the course say about innovation procurement?',
  'Our data is scattered across old systems, so data quality is the first problem. Write to ana.silva@gov.example if you want the list.',
  'Before any model we need clean data; data quality checks are missing in our ministry.',
  'Data quality and data sharing agreements between agencies block us. Who owns the data?',
];
