//! Every string of the site's page chrome and alert pages, in the six
//! languages. A `{}` marks where a value goes (`super::fill`), so that each
//! language keeps its own word order. Translations are plain and literal;
//! a test checks that every language has every string and its placeholder.

use super::Lang;

/// The site's strings in one language.
#[derive(Debug)]
pub struct Strings {
    /// The skip link, first on every page.
    pub skip: &'static str,
    /// The name of the site's navigation (`aria-label`).
    pub site_nav: &'static str,
    pub latest: &'static str,
    pub email_alerts: &'static str,
    pub contact: &'static str,
    /// The search box's label.
    pub search_label: &'static str,
    pub search_button: &'static str,
    pub atom_feed: &'static str,
    pub json_feed: &'static str,
    pub privacy: &'static str,
    pub contact_us: &'static str,
    /// The forms' (contact, subscribe): their error summary's heading,
    /// the hidden field people leave empty, the email field's label.
    pub correct: &'static str,
    pub honeypot: &'static str,
    pub your_email: &'static str,
    /// The footer's subscribe box.
    pub footer_subscribe: &'static str,
    pub footer_continue: &'static str,
    /// `{}`: a month (`month_in`).
    pub more_from: &'static str,
    /// `{}`: a date (`date_in`).
    pub updated: &'static str,
    /// `{}`: how many updates.
    pub all_updates: &'static str,
    pub first_published: &'static str,
    pub tags: &'static str,
    pub contacts: &'static str,
    /// `{}`: a contact's name.
    pub write_to: &'static str,
    pub related: &'static str,
    /// The language switcher's name.
    pub languages: &'static str,
    /// On an outdated translation; `{}`: the English version's update.
    pub outdated: &'static str,
    pub read_english: &'static str,
    /// Marks text left in English on a translated page.
    pub in_english: &'static str,
    /// A translation that does not exist: the page's title and text.
    pub missing_title: &'static str,
    pub missing_text: &'static str,
    /// Listings. `{}`: a category's or tag's name.
    pub category_heading: &'static str,
    pub tag_heading: &'static str,
    pub filed_under: &'static str,
    /// `{}`: a month (`month_in`).
    pub month_heading: &'static str,
    pub month_intro: &'static str,
    pub no_alerts: &'static str,
    /// The pager: back to the first page, the next page, its name.
    pub newest: &'static str,
    pub older: &'static str,
    pub more_alerts: &'static str,
    /// The archive's pager between months (its name).
    pub months: &'static str,
    /// `{}`: a feed's title.
    pub subscribe_feed: &'static str,
    /// On a listing entry that has no translation in the page's language.
    pub only_in_english: &'static str,
}

pub(super) fn of(lang: Lang) -> &'static Strings {
    lang.pick([&EN, &AR, &ZH, &FR, &RU, &ES])
}

static EN: Strings = Strings {
    skip: "Skip to content",
    site_nav: "Site",
    latest: "Latest alerts",
    email_alerts: "Email alerts",
    contact: "Contact",
    search_label: "Search alerts",
    search_button: "Search",
    atom_feed: "Atom feed",
    json_feed: "JSON Feed",
    privacy: "Privacy",
    contact_us: "Contact us",
    correct: "Please correct the following",
    honeypot: "Leave this field empty",
    your_email: "Your email",
    footer_subscribe: "Get alerts by email",
    footer_continue: "Continue",
    more_from: "More from {}",
    updated: "Updated {}",
    all_updates: "See all updates ({})",
    first_published: "First published.",
    tags: "Tags",
    contacts: "Contacts",
    write_to: "Write to {}",
    related: "Related Articles",
    languages: "Languages",
    outdated:
        "The English version of this alert was updated on {}, after this translation was made.",
    read_english: "Read the English version",
    in_english: "in English",
    missing_title: "Not available in this language",
    missing_text: "This alert has not been translated into this language. It is available in:",
    category_heading: "Category: {}",
    tag_heading: "Tag: {}",
    filed_under: "Alerts filed under {}, newest first.",
    month_heading: "Alerts of {}",
    month_intro: "Every alert published in {}, newest first.",
    no_alerts: "No alerts here yet.",
    newest: "Newest",
    older: "Older alerts",
    more_alerts: "More alerts",
    months: "Months",
    subscribe_feed: "Subscribe: {}",
    only_in_english: "Only in English",
};

static AR: Strings = Strings {
    skip: "انتقل إلى المحتوى",
    site_nav: "الموقع",
    latest: "أحدث التنبيهات",
    email_alerts: "التنبيهات بالبريد الإلكتروني",
    contact: "تواصل معنا",
    search_label: "البحث في التنبيهات",
    search_button: "بحث",
    atom_feed: "موجز Atom",
    json_feed: "موجز JSON",
    privacy: "الخصوصية",
    contact_us: "اتصل بنا",
    correct: "يُرجى تصحيح ما يلي",
    honeypot: "اترك هذا الحقل فارغاً",
    your_email: "بريدك الإلكتروني",
    footer_subscribe: "احصل على التنبيهات بالبريد الإلكتروني",
    footer_continue: "متابعة",
    more_from: "المزيد من {}",
    updated: "حُدِّث في {}",
    all_updates: "عرض جميع التحديثات ({})",
    first_published: "النشر الأول.",
    tags: "الوسوم",
    contacts: "جهات الاتصال",
    write_to: "راسِل {}",
    related: "مقالات ذات صلة",
    languages: "اللغات",
    outdated: "حُدِّثت النسخة الإنجليزية من هذا التنبيه في {}، بعد إعداد هذه الترجمة.",
    read_english: "اقرأ النسخة الإنجليزية",
    in_english: "بالإنجليزية",
    missing_title: "غير متاح بهذه اللغة",
    missing_text: "لم يُترجَم هذا التنبيه إلى هذه اللغة. وهو متاح باللغات التالية:",
    category_heading: "الفئة: {}",
    tag_heading: "الوسم: {}",
    filed_under: "التنبيهات المصنفة تحت {}، الأحدث أولاً.",
    month_heading: "تنبيهات {}",
    month_intro: "جميع التنبيهات المنشورة في {}، الأحدث أولاً.",
    no_alerts: "لا توجد تنبيهات هنا بعد.",
    newest: "الأحدث",
    older: "تنبيهات أقدم",
    more_alerts: "المزيد من التنبيهات",
    months: "الأشهر",
    subscribe_feed: "اشترك: {}",
    only_in_english: "متاح بالإنجليزية فقط",
};

static ZH: Strings = Strings {
    skip: "跳到正文",
    site_nav: "网站",
    latest: "最新快讯",
    email_alerts: "电子邮件快讯",
    contact: "联系",
    search_label: "搜索快讯",
    search_button: "搜索",
    atom_feed: "Atom 订阅源",
    json_feed: "JSON Feed 订阅源",
    privacy: "隐私",
    contact_us: "联系我们",
    correct: "请更正以下内容",
    honeypot: "请将此栏留空",
    your_email: "您的电子邮件地址",
    footer_subscribe: "通过电子邮件接收快讯",
    footer_continue: "继续",
    more_from: "{}的更多快讯",
    updated: "更新于{}",
    all_updates: "查看全部更新（{}）",
    first_published: "首次发布。",
    tags: "标签",
    contacts: "联系人",
    write_to: "写信给{}",
    related: "相关文章",
    languages: "语言",
    outdated: "本快讯的英文版已于{}更新，晚于本译文的完成时间。",
    read_english: "阅读英文版",
    in_english: "英文",
    missing_title: "没有此语言的版本",
    missing_text: "本快讯尚未译成此语言。可阅读以下语言版本：",
    category_heading: "分类：{}",
    tag_heading: "标签：{}",
    filed_under: "归入{}的快讯，按时间从新到旧排列。",
    month_heading: "{}的快讯",
    month_intro: "{}发布的全部快讯，按时间从新到旧排列。",
    no_alerts: "暂无快讯。",
    newest: "最新",
    older: "较早的快讯",
    more_alerts: "更多快讯",
    months: "月份",
    subscribe_feed: "订阅：{}",
    only_in_english: "仅有英文版",
};

static FR: Strings = Strings {
    skip: "Aller au contenu",
    site_nav: "Site",
    latest: "Dernières alertes",
    email_alerts: "Alertes par e-mail",
    contact: "Contact",
    search_label: "Rechercher dans les alertes",
    search_button: "Rechercher",
    atom_feed: "Flux Atom",
    json_feed: "Flux JSON Feed",
    privacy: "Confidentialité",
    contact_us: "Nous contacter",
    correct: "Veuillez corriger les points suivants",
    honeypot: "Laissez ce champ vide",
    your_email: "Votre adresse électronique",
    footer_subscribe: "Recevoir les alertes par e-mail",
    footer_continue: "Continuer",
    more_from: "Autres alertes de {}",
    updated: "Mis à jour le {}",
    all_updates: "Voir toutes les mises à jour ({})",
    first_published: "Première publication.",
    tags: "Mots-clés",
    contacts: "Contacts",
    write_to: "Écrire à {}",
    related: "Articles connexes",
    languages: "Langues",
    outdated: "La version anglaise de cette alerte a été mise à jour le {}, après la réalisation de cette traduction.",
    read_english: "Lire la version anglaise",
    in_english: "en anglais",
    missing_title: "Non disponible dans cette langue",
    missing_text: "Cette alerte n’a pas été traduite dans cette langue. Elle est disponible en :",
    category_heading: "Catégorie : {}",
    tag_heading: "Mot-clé : {}",
    filed_under: "Alertes classées sous {}, des plus récentes aux plus anciennes.",
    month_heading: "Alertes de {}",
    month_intro: "Toutes les alertes publiées en {}, des plus récentes aux plus anciennes.",
    no_alerts: "Aucune alerte pour l’instant.",
    newest: "Les plus récentes",
    older: "Alertes plus anciennes",
    more_alerts: "Plus d’alertes",
    months: "Mois",
    subscribe_feed: "S’abonner : {}",
    only_in_english: "Uniquement en anglais",
};

static RU: Strings = Strings {
    skip: "Перейти к содержанию",
    site_nav: "Сайт",
    latest: "Последние оповещения",
    email_alerts: "Оповещения по электронной почте",
    contact: "Контакты",
    search_label: "Поиск по оповещениям",
    search_button: "Найти",
    atom_feed: "Лента Atom",
    json_feed: "Лента JSON Feed",
    privacy: "Конфиденциальность",
    contact_us: "Связаться с нами",
    correct: "Исправьте, пожалуйста, следующее",
    honeypot: "Оставьте это поле пустым",
    your_email: "Ваш адрес электронной почты",
    footer_subscribe: "Получать оповещения по электронной почте",
    footer_continue: "Продолжить",
    more_from: "Другие оповещения за {}",
    updated: "Обновлено {}",
    all_updates: "Все обновления ({})",
    first_published: "Первая публикация.",
    tags: "Теги",
    contacts: "Контакты",
    write_to: "Написать: {}",
    related: "Похожие статьи",
    languages: "Языки",
    outdated: "Английская версия этого оповещения была обновлена {}, после того как был сделан этот перевод.",
    read_english: "Читать английскую версию",
    in_english: "на английском",
    missing_title: "Недоступно на этом языке",
    missing_text: "Это оповещение не переведено на этот язык. Оно доступно на следующих языках:",
    category_heading: "Категория: {}",
    tag_heading: "Тег: {}",
    filed_under: "Оповещения по теме «{}», сначала новые.",
    month_heading: "Оповещения за {}",
    month_intro: "Все оповещения за {}, сначала новые.",
    no_alerts: "Оповещений пока нет.",
    newest: "Новые",
    older: "Более ранние оповещения",
    more_alerts: "Ещё оповещения",
    months: "Месяцы",
    subscribe_feed: "Подписаться: {}",
    only_in_english: "Только на английском",
};

static ES: Strings = Strings {
    skip: "Ir al contenido",
    site_nav: "Sitio",
    latest: "Últimas alertas",
    email_alerts: "Alertas por correo",
    contact: "Contacto",
    search_label: "Buscar alertas",
    search_button: "Buscar",
    atom_feed: "Canal Atom",
    json_feed: "Canal JSON Feed",
    privacy: "Privacidad",
    contact_us: "Contáctenos",
    correct: "Corrija lo siguiente",
    honeypot: "Deje este campo vacío",
    your_email: "Su correo electrónico",
    footer_subscribe: "Recibir alertas por correo electrónico",
    footer_continue: "Continuar",
    more_from: "Más alertas de {}",
    updated: "Actualizado el {}",
    all_updates: "Ver todas las actualizaciones ({})",
    first_published: "Primera publicación.",
    tags: "Etiquetas",
    contacts: "Contactos",
    write_to: "Escribir a {}",
    related: "Artículos relacionados",
    languages: "Idiomas",
    outdated: "La versión en inglés de esta alerta se actualizó el {}, después de que se hiciera esta traducción.",
    read_english: "Leer la versión en inglés",
    in_english: "en inglés",
    missing_title: "No disponible en este idioma",
    missing_text: "Esta alerta no se ha traducido a este idioma. Está disponible en:",
    category_heading: "Categoría: {}",
    tag_heading: "Etiqueta: {}",
    filed_under: "Alertas clasificadas en {}, de la más reciente a la más antigua.",
    month_heading: "Alertas de {}",
    month_intro: "Todas las alertas publicadas en {}, de la más reciente a la más antigua.",
    no_alerts: "Todavía no hay alertas.",
    newest: "Más recientes",
    older: "Alertas anteriores",
    more_alerts: "Más alertas",
    months: "Meses",
    subscribe_feed: "Suscribirse: {}",
    only_in_english: "Solo en inglés",
};

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Each string of a catalog, by field, through its Debug form (so that
    /// a field added to `Strings` is checked without listing it here).
    /// Debug writes combining marks (Arabic vowels) as `\u{64f}`.
    pub(super) fn fields(s: &impl std::fmt::Debug) -> Vec<(String, String)> {
        let debug = format!("{s:#?}");
        debug
            .lines()
            .filter_map(|l| {
                let (k, v) = l.trim().split_once(": ")?;
                let v = v
                    .trim_end_matches(',')
                    .strip_prefix('"')?
                    .strip_suffix('"')?;
                let mut out = String::new();
                let mut rest = v;
                while let Some(i) = rest.find("\\u{") {
                    out.push_str(&rest[..i]);
                    let end = rest[i..].find('}')? + i;
                    out.push(char::from_u32(
                        u32::from_str_radix(&rest[i + 3..end], 16).ok()?,
                    )?);
                    rest = &rest[end + 1..];
                }
                out.push_str(rest);
                Some((k.to_string(), out))
            })
            .collect()
    }

    #[test]
    fn every_language_has_every_string_and_its_placeholder() {
        check_every_language(of, &["contacts", "site_nav", "contact"]);
    }

    /// Checks a catalog (`of`, a struct of strings per language): every
    /// language has every string, not empty, with English's placeholders, and
    /// translated but for the strings `same` may leave as English has them.
    pub(in crate::i18n) fn check_every_language<S: std::fmt::Debug + 'static>(
        of: impl Fn(Lang) -> &'static S,
        same: &[&str],
    ) {
        let en = fields(of(Lang::En));
        // Every catalog has some strings: none read means `fields` broke.
        assert!(en.len() >= 5, "{en:?}");
        for lang in Lang::ALL {
            let s = fields(of(lang));
            assert_eq!(s.len(), en.len(), "{lang:?}");
            for ((k, v), (ek, ev)) in s.iter().zip(&en) {
                assert_eq!(k, ek);
                assert!(!v.trim().is_empty(), "{lang:?} {k}");
                assert_eq!(
                    v.matches("{}").count(),
                    ev.matches("{}").count(),
                    "{lang:?} {k}: {v}"
                );
                if lang != Lang::En && !same.contains(&k.as_str()) {
                    assert_ne!(v, ev, "{lang:?} {k} is still English");
                }
            }
        }
    }
}
