/**
 * Question shapes that belong to general knowledge, not to a course on AI and digital government:
 * a country's capital or a city's population, the weather, recipes, sport results, programming
 * languages, holidays. Such a question often shares a word or two with the course ("capital",
 * "population", "data"), which lexical coverage alone cannot tell from a covered question; the
 * shape can. Patterns are per kind, in the five course languages, and deliberately narrow: a
 * course question about "the population of rural areas", football stadiums or "computer code" does not match.
 */
const OFF_DOMAIN: RegExp[] = [
  // Capitals and populations.
  /\b(capital (city )?of|capital de|capitale d(e|u)|capital d[oa])(?!\w)|(ما|ما هي|ما هو) عاصمة/i,
  /\b(how many (inhabitants|people live)|what is the population of|cu[aá]ntos habitantes|cu[aá]l es la poblaci[oó]n de|combien d.habitants|quelle est la population d|quantos habitantes|qual [eé] a popula[cç][aã]o d)|عدد سكان/i,
  // Weather.
  /\b(weather|forecast|tiempo (har[aá]|hace|va a hacer)|pron[oó]stico del tiempo|m[eé]t[eé]o|quel temps (fait|fera|va)|previs[aã]o do tempo|(que|como est[aá] o) tempo (faz|vai fazer))(?!\w)|الطقس|درجة الحرارة/i,
  // The office's own IT and payroll: a printer, one's password, one's tax return or leave (the course cites tax returns as AI cases, not how to file one's own).
  /\b(printers?|impresoras?|imprimantes?|impressoras?|(reset|forgot|change) my password|mi contraseña|mon mot de passe|minha senha|my (own )?tax(es| return)|mes imp[oô]ts|ma d[eé]claration d'imp[oô]ts|mi declaraci[oó]n de la renta|meu imposto de renda|my (annual leave|holidays|payslip|salary)|mis vacaciones|mes cong[eé]s|minhas f[eé]rias|mi n[oó]mina|ma fiche de paie|meu (contracheque|holerite))(?!\w)|الطابعة|كلمة المرور الخاصة بي/i,
  // Cooking.
  /\b(recipes? for|how to cook|receta de|recettes? d(e|u|es)|receitas? d[aeo]s?|bake|baking|cocinar|cuisiner|cozinhar)(?!\w)|الطبخ|وصفة طبخ/i,
  // Sport.
  /\b(world cup|champions league|la liga|premier league|cricket|tennis|football (club|team|results?|scores?)|club de f[uú]tbol|clube de futebol|[eé]quipe de football)(?!\w)|كأس العالم/i,
  // Programming.
  /\b(python|javascript|typescript|linked list)(?!\w)/i,
  // Travel and leisure.
  /\b(best time to visit|beach|praia|playa|hotel|movie)(?!\w)/i,
];

/**
 * A product's price or licence cost ("how much does a Copilot licence cost per user?"): the course
 * teaches how to buy AI, not what it costs. Both a price question and a licence word, so that "how
 * much did Robodebt cost?" or "what should a licence agreement include?" stay course questions.
 */
const PRICE =
  /\b(how much (does|do|is|are|would)|cost per|price of|pricing|cu[aá]nto (cuesta|cuestan|vale|valen)|precio de|combien (co[uû]te|co[uû]tent|vaut)|prix d|quanto (custa|custam|vale)|pre[cç]o d)\b|كم سعر|كم تكلفة|ما سعر|ما تكلفة/iu;
const LICENCE =
  /\b(licen[cs]es?|licencias?|licen[cç]as?|subscriptions?|suscripci[oó]n|abonnements?|assinaturas?|per (user|seat|month)|por (usuario|utilizador|usu[aá]rio|mes|m[eê]s)|par (utilisateur|mois)|enterprise|copilot|chatgpt)\b|ترخيص|اشتراك|رخصة/iu;

/** 1 when the question has the shape of a general-knowledge question (see OFF_DOMAIN) or asks a product's price, else 0. */
export function offDomainShape(question: string): number {
  return OFF_DOMAIN.some((re) => re.test(question)) || (PRICE.test(question) && LICENCE.test(question)) ? 1 : 0;
}
