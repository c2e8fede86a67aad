package normalize

// arabicListNames maps Arabic words of persons' names (without the article, vowel marks and alef forms
// made plain) to the Latin spelling the lists give them. Provenance: the UN Security Council Consolidated
// List of 2026-02-27 (snapshot/data/consolidated_2026-02-27.xml.gz; UN documents are free to reproduce):
// each individual whose NAME_ORIGINAL_SCRIPT is in Arabic script and has as many words as FIRST_NAME to
// FOURTH_NAME (Abd and the name after it counted as one), read word by word in order; a word with the
// article kept when the Latin word has AL- (family names and nisbas: التكريتي AL-TIKRITI), the most
// frequent spelling kept, the words of arabicNames left out. 254 of the 327 individuals aligned. Corrected by
// hand: سيف is saif (the alignment had read SEIFALLAH, سيف الله in one Latin word, as سيف alone).
var arabicListNames = map[string]string{
	"اختر": "akhtar", "اخوند": "akhund", "اخوندزاده": "akhundzada", "ادم": "adam", "اديب": "adib",
	"ازهر": "azhar", "اسحاق": "ishak", "اشرف": "ashraf", "اعظم": "azam", "اغا": "agha", "امان": "aman",
	"امحمد": "imhamad", "انتصار": "intissar", "انوري": "anwari", "اهدل": "ahdal", "اول": "awal", "اياد": "iyad",
	"ايمن": "ayman", "باهاجى": "bahaji", "بخت": "bakht", "بدري": "badri", "بذالي": "bathali",
	"برادر": "baradar", "برزان": "barzan", "بريخ": "barich", "بسام": "bassam", "بشار": "bashar",
	"بصير": "basir", "بكري": "bakri", "بلال": "bilal", "بلقاسم": "belgacem", "بلكلام": "belkalem",
	"بلمختار": "belmokhtar", "بنحسين": "hassine", "بوغانمي": "boughanemi", "بويحي": "bouyehia", "تركي": "turki",
	"تكريتي": "tikriti", "تنتوش": "tantoush", "تومي": "toumi", "ثاقب": "saqib", "ثامر": "thamir",
	"ثروت": "tharwat", "ثريا": "thoraya", "جابر": "jaber", "جان": "jan", "جانان": "janan", "جرمان": "djermane",
	"جزراوي": "jizrawi", "جلاهمة": "jalahmah", "جليل": "jalil", "جوادي": "djouadi", "جوهر": "jawhar",
	"حارث": "harith", "حافظ": "hafed", "حبوش": "habbush", "حبيب": "habib", "حجازي": "hijazi", "حجي": "hajji",
	"حصري": "hasri", "حقانى": "haqqani", "حكمت": "hikmat", "حكيمى": "hakimi", "حلا": "hala", "حماد": "hamad",
	"حمادي": "hamadi", "حمد": "hamd", "حمدان": "hamdan", "حمدي": "hamdi", "حمراوي": "hamraoui", "حمزي": "hamzi",
	"حمود": "hammud", "حوثي": "houthi", "حويش": "huwaysh", "خادم": "khadem", "خدايداد": "khudaidad",
	"خضر": "khadr", "خفاجي": "khafaji", "خليفة": "khalifa", "خليل": "khalil", "خميس": "khamis",
	"خولة": "khawla", "خيرالله": "khairullah", "خيرخواه": "khairkhwah", "داد": "dad", "دبيسكي": "dabski",
	"دروكدال": "droukdel", "دغداغ": "deghdegh", "دوري": "duri", "دوست": "dost", "ديلوس": "delos",
	"رائد": "raed", "رافي": "rafi", "ربيع": "rabi", "ربيعي": "rabii", "رجا": "raja", "رجب": "ragab",
	"رزوقي": "razuki", "رسول": "rasul", "رغد": "raghad", "رمادنا": "remadna", "رمضان": "ramadan", "رنا": "rana",
	"رودي": "roodi", "روكان": "rukan", "روين": "rouine", "ريمي": "rimi", "رييس": "reyes", "زاهد": "zahed",
	"زبيدي": "zubaidi", "زرقاوي": "zarkaoui", "زغبي": "zoghbi", "زكي": "zaki", "زنداني": "zindani",
	"زهراني": "zahrani", "زيدان": "zidane", "زينيه": "zeiniye", "ساسي": "sassi", "سامرائي": "samarrai",
	"سباعي": "sebai", "سبعاوي": "sabawi", "سجا": "saja", "سرحان": "sirhan", "سعادي": "saadi",
	"سعيدالله": "saidullah", "سلبي": "salbi", "سلمان": "salman", "سليم": "salim", "سليوة": "slewa",
	"سمبوريو": "semborio", "سميرة": "samira", "سند": "sanad", "سندس": "sundus", "سيد": "sayyed",
	"سيف": "saif", "سيفي": "saifi", "شاه": "shah", "شحاته": "shihata", "شعبان": "shaban", "شفيق": "shafiq",
	"شمس": "shams", "شنداخ": "shindakh", "صادق": "sadiq", "صحراوي": "sahraoui", "صدام": "saddam", "صعب": "sab",
	"صلاح": "shalah", "ضاري": "dari", "طائي": "tai", "طالع": "tali", "طاهر": "tahir", "طعان": "taan",
	"طلفاح": "tilfah", "ظواهري": "zawahiri", "عابد": "abid", "عاشور": "ashour", "عامر": "aamir", "عاني": "ani",
	"عايد": "ayed", "عباس": "abbas", "عبدالحليم": "halim", "عبدالفتاح": "abdelfattah", "عبدفتاح": "abdefattah",
	"عبدلله": "abdallah", "عبيدي": "ubaidi", "عدنان": "adnan", "عدي": "uday", "عزاوي": "azzawi", "عزت": "izzat",
	"عسيري": "asiri", "عصام": "isam", "عكاشة": "akkacha", "علوش": "alouche", "على": "ali", "عماد": "imed",
	"عماري": "ammari", "عماش": "ammash", "عمدوني": "amdouni", "عواد": "awwad", "عوادي": "aouadi", "عوض": "ewaz",
	"عولقي": "aulaqi", "غازي": "ghazi", "غالب": "ghalib", "غالي": "ghali", "غامدي": "ghamdi", "غريب": "gharib",
	"غلام": "ghulam", "غماري": "ghamari", "فاضل": "fadil", "فرهاد": "farhad", "فضل": "fazl", "فضلي": "fadhli",
	"فلسيانو": "feliciano", "فواز": "fawaz", "فيتوري": "fitouri", "فيزا": "fezza", "فيض": "faiz",
	"قدير": "ghedeir", "قصي": "qusay", "قيزاني": "qizani", "كاظم": "kathim", "كمون": "kammoun",
	"كنابي": "kanabi", "كواري": "kawari", "لادن": "laden", "لاغوب": "laagoub", "لحبوس": "lahbous",
	"لكحل": "lakhal", "لوبيري": "loubiri", "لونيسي": "lounici", "مبارك": "mubarak", "مثنى": "muthanna",
	"محرز": "mehrez", "محسن": "muhsin", "محفوظ": "mahfouz", "محمدعبد": "mohammad", "مختار": "mokhtar",
	"مداني": "madani", "مراد": "murad", "مراني": "marrani", "مردان": "mardan", "مرعي": "merai",
	"مروان": "marwan", "مزاحم": "muzahim", "مزبان": "mizban", "مزيده": "mazidih", "مسلم": "moslim",
	"مشخص": "mushakhas", "مصلي": "masli", "مطلق": "motlaq", "مطمئن": "motmaen", "مظلوم": "mazloom",
	"معروفي": "maaroufi", "مكي": "mekki", "نايف": "nayif", "نايل": "nail", "نسيم": "nessim", "نشوان": "nashwan",
	"نضال": "nidal", "نظر": "nazir", "نظمي": "nazmi", "نعيم": "naim", "نورزى": "noorzai", "هاشم": "hishan",
	"هاني": "hani", "هدى": "huda", "وثيق": "wassiq", "وطبان": "watban", "ولد": "ould", "ياسين": "yassin",
	"يعقوب": "yaqoub", "يونس": "yunis",
}
