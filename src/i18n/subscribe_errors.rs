//! The subscribe form's errors in the six languages, by field (the
//! subscribe page and a subscriber's own page show them; JSON answers
//! carry them too), in the language of the page the form was sent from.

use super::Lang;

/// The form's error messages in one language.
#[derive(Debug)]
pub struct SubscribeErrors {
    pub email_empty: &'static str,
    pub email: &'static str,
    pub scope: &'static str,
    pub topics_none: &'static str,
    pub topics_many: &'static str,
    pub topics_unknown: &'static str,
    pub frequency: &'static str,
    pub lang: &'static str,
    pub consent: &'static str,
}

pub(super) fn of(lang: Lang) -> &'static SubscribeErrors {
    lang.pick([&EN, &AR, &ZH, &FR, &RU, &ES])
}

static EN: SubscribeErrors = SubscribeErrors {
    email_empty: "Enter your email address.",
    email: "Enter an email address like name@example.org (letters, digits and the usual signs, no spaces).",
    scope: "Choose every alert, or the topics below.",
    topics_none: "Choose at least one topic, or every alert.",
    topics_many: "That is more topics than the site has.",
    topics_unknown: "One of the chosen topics is not one this site has; choose from the list.",
    frequency: "Choose each alert as it goes live, or a weekly digest.",
    lang: "Choose one of the languages in the list.",
    consent: "Tick the box to agree that we keep your address to send you these alerts.",
};

static AR: SubscribeErrors = SubscribeErrors {
    email_empty: "أدخل عنوان بريدك الإلكتروني.",
    email:
        "أدخل عنوان بريد إلكتروني مثل name@example.org (حروف وأرقام والعلامات المعتادة، بلا مسافات).",
    scope: "اختر كل التنبيهات، أو المواضيع أدناه.",
    topics_none: "اختر موضوعاً واحداً على الأقل، أو كل التنبيهات.",
    topics_many: "هذه مواضيع أكثر مما في الموقع.",
    topics_unknown: "أحد المواضيع المختارة ليس من مواضيع هذا الموقع؛ اختر من القائمة.",
    frequency: "اختر كل تنبيه لحظة نشره، أو ملخصاً أسبوعياً.",
    lang: "اختر إحدى اللغات في القائمة.",
    consent: "ضع علامة في المربع لتوافق على أن نحتفظ بعنوانك لإرسال هذه التنبيهات إليك.",
};

static ZH: SubscribeErrors = SubscribeErrors {
    email_empty: "请输入您的电子邮件地址。",
    email: "请输入类似 name@example.org 的电子邮件地址（字母、数字和常用符号，不含空格）。",
    scope: "请选择全部快讯，或下方的主题。",
    topics_none: "请至少选择一个主题，或选择全部快讯。",
    topics_many: "所选主题多于本网站的主题。",
    topics_unknown: "所选主题中有一个不是本网站的主题；请从列表中选择。",
    frequency: "请选择每条快讯一发布即发送，或每周摘要。",
    lang: "请从列表中选择一种语言。",
    consent: "请勾选此框，同意我们保存您的地址以向您发送这些快讯。",
};

static FR: SubscribeErrors = SubscribeErrors {
    email_empty: "Saisissez votre adresse électronique.",
    email: "Saisissez une adresse électronique comme name@example.org (lettres, chiffres et signes habituels, sans espaces).",
    scope: "Choisissez toutes les alertes, ou les sujets ci-dessous.",
    topics_none: "Choisissez au moins un sujet, ou toutes les alertes.",
    topics_many: "Cela fait plus de sujets que le site n’en compte.",
    topics_unknown: "L’un des sujets choisis n’existe pas sur ce site ; choisissez dans la liste.",
    frequency: "Choisissez chaque alerte dès sa publication, ou un résumé hebdomadaire.",
    lang: "Choisissez l’une des langues de la liste.",
    consent: "Cochez la case pour accepter que nous conservions votre adresse afin de vous envoyer ces alertes.",
};

static RU: SubscribeErrors = SubscribeErrors {
    email_empty: "Введите адрес электронной почты.",
    email: "Введите адрес электронной почты вида name@example.org (буквы, цифры и обычные знаки, без пробелов).",
    scope: "Выберите все оповещения или темы ниже.",
    topics_none: "Выберите хотя бы одну тему или все оповещения.",
    topics_many: "Это больше тем, чем есть на сайте.",
    topics_unknown: "Одной из выбранных тем нет на этом сайте; выберите из списка.",
    frequency: "Выберите каждое оповещение в момент публикации или еженедельную сводку.",
    lang: "Выберите один из языков списка.",
    consent: "Отметьте флажок, чтобы согласиться на хранение вашего адреса для отправки вам этих оповещений.",
};

static ES: SubscribeErrors = SubscribeErrors {
    email_empty: "Escriba su dirección de correo electrónico.",
    email: "Escriba una dirección de correo como name@example.org (letras, cifras y los signos habituales, sin espacios).",
    scope: "Elija todas las alertas, o los temas de abajo.",
    topics_none: "Elija al menos un tema, o todas las alertas.",
    topics_many: "Son más temas de los que tiene el sitio.",
    topics_unknown: "Uno de los temas elegidos no existe en este sitio; elija de la lista.",
    frequency: "Elija cada alerta en el momento de su publicación, o un resumen semanal.",
    lang: "Elija uno de los idiomas de la lista.",
    consent: "Marque la casilla para aceptar que conservemos su dirección para enviarle estas alertas.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_message() {
        super::super::catalog::tests::check_every_language(of, &[]);
    }
}
