/**
 * Common given names per course language (and Latin spellings of Arabic names), for the
 * "given name + capitalised surname" cue of the redaction. Names that are also common
 * place names or words in the course text (Santiago, Victoria, Grace, Will, Mark...) are
 * left out on purpose: a false cue there would redact course content. The same goes for
 * Arabic names that are everyday words (حسن "good", عمر "age", أسماء "names", نور "light",
 * سلطان "authority"...).
 */
const EN =
  'James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Andrew Steven Paul Joshua Kenneth Kevin Brian George Timothy Ronald Jason Edward Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Patrick Jack Dennis Tyler Aaron Henry Peter Adam Harry Oliver Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra Margaret Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Amy Kathleen Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Rachel Carolyn Janet Catherine Maria Heather Diane Olivia Julie Joyce Megan Hannah Chloe Lucy Sophie Charlotte Amelia Isabella Ava Mia Abigail Ella Harper Evelyn Zoe Ethan Liam Noah Mason Lucas Logan Aiden Owen Connor Callum Rhys Niamh Siobhan Aoife Priya Rahul Anil Sunita Deepak Kwame Ama Kofi Chinwe Ngozi Oluwaseun';
const ES =
  'María José Juan Antonio Manuel Francisco Javier David Daniel Carlos Jesús Alejandro Miguel Rafael Pedro Pablo Ángel Sergio Fernando Jorge Luis Alberto Álvaro Adrián Diego Raúl Enrique Ramón Vicente Andrés Joaquín Víctor Eduardo Roberto Jaime Ignacio Alfonso Ricardo Emilio Salvador Guillermo Gonzalo Rubén Marcos Hugo Mateo Martín Leonardo Sebastián Nicolás Emiliano Carmen Ana Isabel Laura Cristina Marta Lucía Francisca Antonia Dolores Paula Elena Pilar Concepción Mercedes Raquel Manuela Rosario Beatriz Teresa Julia Encarnación Alicia Silvia Patricia Irene Andrea Rocío Montserrat Inmaculada Sonia Noelia Nuria Susana Yolanda Eva Natalia Claudia Alba Sara Carla Daniela Valentina Camila Sofía Ximena Guadalupe Verónica Gabriela Fernanda Alejandra Lorena Adriana Marisol';
const FR =
  'Jean Pierre Michel André Philippe René Louis Alain Jacques Bernard Marcel Daniel Roger Robert Paul Claude Christian Henri Georges Nicolas François Patrick Gérard Christophe Joseph Julien Frédéric Laurent Éric Stéphane Pascal David Sébastien Olivier Thierry Antoine Mathieu Guillaume Benoît Yves Vincent Jérôme Romain Baptiste Clément Hugo Lucas Théo Maxime Arnaud Cédric Marie Jeanne Françoise Monique Catherine Nathalie Isabelle Sylvie Anne Martine Christine Sophie Valérie Sandrine Véronique Céline Chantal Brigitte Nicole Élisabeth Aurélie Émilie Julie Caroline Stéphanie Camille Chloé Léa Manon Inès Juliette Mathilde Margaux Océane Élodie Amélie Élise Gaëlle Hélène Virginie Delphine Agnès Béatrice Florence Pauline Clémence Solène Anaïs Maëlle Aïcha Fatou Moussa Mamadou Ousmane Aminata';
const PT =
  'João José António Antônio Francisco Manuel Pedro Tiago Thiago Rui Nuno Paulo Luís Luiz Carlos Miguel Ricardo Bruno Gonçalo Duarte Afonso Diogo Rodrigo Vasco Filipe Felipe Sérgio Jorge Fernando Vítor Hugo Márcio Fábio Gustavo Leonardo Matheus Mateus Gabriel Rafael Lucas Guilherme Eduardo Marcelo Raimundo Sebastião Joaquim Maria Ana Beatriz Inês Mariana Joana Catarina Rita Sofia Leonor Francisca Margarida Teresa Luísa Luíza Luiza Fernanda Juliana Camila Larissa Letícia Patrícia Adriana Helena Conceição Fátima Graça Isabel Carla Cláudia Sandra Susana Marta Filipa Raquel Vitória Bruna Aline Priscila Tatiana Vanessa Débora Simone Luana Jéssica Daniela Carolina Gabriela Renata Lúcia Cecília Marisa';
const AR_LATIN =
  'Mohammed Mohamed Muhammad Mohammad Ahmed Ahmad Mahmoud Mustafa Mostafa Hassan Hussein Hussain Omar Umar Youssef Yusuf Ibrahim Khalid Khaled Said Saeed Abdullah Abdallah Abdulrahman Karim Tarek Tariq Yasser Hisham Walid Sami Rachid Rashid Nabil Jamal Faisal Majid Fahad Sultan Nasser Samir Mounir Hamza Bilal Anas Fatima Fatma Aisha Aicha Maryam Mariam Khadija Zainab Zeinab Nour Noor Sara Layla Leila Laila Huda Mona Salma Rania Yasmin Yasmine Amina Souad Nadia Reem Rim Lina Dina Hala Asma Hanan Iman Imane Samira Nawal Houda Meriem Malak';
const AR =
  'محمد أحمد مصطفى يوسف إبراهيم ابراهيم عبدالله عبدالرحمن عبدالعزيز طارق ياسر هشام فيصل ماجد سمير منير حمزة بلال أنس عثمان فاطمة عائشة مريم خديجة زينب سارة ليلى رانيا ياسمين سعاد نادية لينا دينا سميرة نوال رقية هاجر';

function words(list: string): string[] {
  return list.split(/\s+/).filter(Boolean);
}

/** Given names written in Latin script (English, Spanish, French, Portuguese, and Arabic names in Latin letters). */
export const LATIN_GIVEN_NAMES: ReadonlySet<string> = new Set([...words(EN), ...words(ES), ...words(FR), ...words(PT), ...words(AR_LATIN)]);

/** Given names in Arabic script. */
export const ARABIC_GIVEN_NAMES: ReadonlySet<string> = new Set(words(AR));
