//! The contact form's errors in the six languages, by field (the form shows
//! them beside each field and in a summary; JSON answers carry them too),
//! in the language of the page the form was sent from. In `single_line`,
//! `control` and `too_long` the first `{}` is the field's label as the
//! form shows it (`super::ContactStrings`); in `too_long` and
//! `message_too_long` the last is the number of characters allowed.

use super::Lang;

/// The contact form's error messages in one language.
#[derive(Debug)]
pub struct ContactErrors {
    pub name_empty: &'static str,
    pub email_empty: &'static str,
    pub subject_empty: &'static str,
    pub message_empty: &'static str,
    pub single_line: &'static str,
    pub control: &'static str,
    pub too_long: &'static str,
    pub message_too_long: &'static str,
    pub email_ascii: &'static str,
    pub email: &'static str,
    pub contact: &'static str,
    pub consent: &'static str,
    /// The inquiries queue refused the message (a 503).
    pub unavailable: &'static str,
}

pub(super) fn of(lang: Lang) -> &'static ContactErrors {
    lang.pick([&EN, &AR, &ZH, &FR, &RU, &ES])
}

static EN: ContactErrors = ContactErrors {
    name_empty: "Enter your name",
    email_empty: "Enter your email",
    subject_empty: "Enter a subject",
    message_empty: "Enter your message",
    single_line: "{} must be a single line",
    control: "{} contains an invisible control or direction character: please retype it",
    too_long: "{} must be at most {} characters",
    message_too_long: "Your message must be at most {} characters",
    email_ascii: "Enter an email address in plain letters (a-z, digits, dots), as accents and other scripts cannot be replied to from here",
    email: "Enter an email address like name@example.com, so the contact can reply",
    contact: "Choose one of the listed contacts",
    consent: "Tick the box to agree that your details are kept to answer you",
    unavailable: "Your message could not be accepted just now. Nothing was sent; please try again in a minute.",
};

static AR: ContactErrors = ContactErrors {
    name_empty: "أدخل اسمك",
    email_empty: "أدخل عنوان بريدك الإلكتروني",
    subject_empty: "أدخل موضوعاً",
    message_empty: "أدخل رسالتك",
    single_line: "يجب أن يكون الحقل «{}» سطراً واحداً",
    control: "يحتوي الحقل «{}» على حرف تحكّم أو اتجاه غير مرئي: يُرجى إعادة كتابته",
    too_long: "يجب ألا يزيد عدد أحرف الحقل «{}» على {}",
    message_too_long: "يجب ألا يزيد عدد أحرف رسالتك على {}",
    email_ascii: "أدخل عنوان بريد إلكتروني بحروف لاتينية بسيطة (a-z، وأرقام، ونقاط)، إذ لا يمكن الرد من هنا على العناوين التي تحتوي على حروف بعلامات صوتية أو حروف من أنظمة كتابة أخرى",
    email: "أدخل عنوان بريد إلكتروني مثل name@example.com، لتتمكّن جهة الاتصال من الرد",
    contact: "اختر إحدى جهات الاتصال المدرجة",
    consent: "ضع علامة في المربع لتوافق على الاحتفاظ ببياناتك للرد عليك",
    unavailable: "تعذّر قبول رسالتك في الوقت الحالي. لم يُرسَل أي شيء؛ يُرجى المحاولة مرة أخرى بعد دقيقة.",
};

static ZH: ContactErrors = ContactErrors {
    name_empty: "请输入您的姓名",
    email_empty: "请输入您的电子邮件地址",
    subject_empty: "请输入主题",
    message_empty: "请输入您的留言",
    single_line: "“{}”只能填写一行",
    control: "“{}”含有不可见的控制字符或方向字符：请重新输入",
    too_long: "“{}”不得超过{}个字符",
    message_too_long: "您的留言不得超过{}个字符",
    email_ascii: "请使用普通拉丁字母（a-z、数字、点号）输入电子邮件地址，因为无法从此处回复含有重音符号或其他文字的地址",
    email: "请输入类似 name@example.com 的电子邮件地址，以便联系人回复",
    contact: "请从所列联系人中选择一位",
    consent: "请勾选此框，同意保存您的个人信息以便答复您",
    unavailable: "目前无法接收您的留言。未发送任何内容；请在一分钟后重试。",
};

static FR: ContactErrors = ContactErrors {
    name_empty: "Saisissez votre nom",
    email_empty: "Saisissez votre adresse électronique",
    subject_empty: "Saisissez un objet",
    message_empty: "Saisissez votre message",
    single_line: "Le champ « {} » doit tenir sur une seule ligne",
    control: "Le champ « {} » contient un caractère de contrôle ou de direction invisible : veuillez le ressaisir",
    too_long: "Le champ « {} » doit comporter au plus {} caractères",
    message_too_long: "Votre message doit comporter au plus {} caractères",
    email_ascii: "Saisissez une adresse électronique en lettres simples (a-z, chiffres, points), car il est impossible de répondre d’ici aux adresses comportant des accents ou d’autres écritures",
    email: "Saisissez une adresse électronique comme name@example.com, afin que le contact puisse répondre",
    contact: "Choisissez l’un des contacts de la liste",
    consent: "Cochez la case pour accepter que vos coordonnées soient conservées afin de vous répondre",
    unavailable: "Votre message n’a pas pu être accepté pour le moment. Rien n’a été envoyé ; veuillez réessayer dans une minute.",
};

static RU: ContactErrors = ContactErrors {
    name_empty: "Введите ваше имя",
    email_empty: "Введите адрес электронной почты",
    subject_empty: "Введите тему",
    message_empty: "Введите сообщение",
    single_line: "Поле «{}» должно занимать одну строку",
    control: "Поле «{}» содержит невидимый управляющий символ или символ направления текста: пожалуйста, введите значение заново",
    too_long: "Поле «{}» должно содержать не более {} символов",
    message_too_long: "Ваше сообщение должно содержать не более {} символов",
    email_ascii: "Введите адрес электронной почты простыми латинскими буквами (a-z, цифры, точки): на адреса с диакритическими знаками или в других системах письма ответить отсюда невозможно",
    email: "Введите адрес электронной почты вида name@example.com, чтобы контактное лицо могло ответить",
    contact: "Выберите одно из перечисленных контактных лиц",
    consent: "Отметьте флажок, чтобы согласиться на хранение ваших данных для ответа вам",
    unavailable: "Сейчас не удалось принять ваше сообщение. Ничего не было отправлено; пожалуйста, повторите попытку через минуту.",
};

static ES: ContactErrors = ContactErrors {
    name_empty: "Escriba su nombre",
    email_empty: "Escriba su dirección de correo electrónico",
    subject_empty: "Escriba un asunto",
    message_empty: "Escriba su mensaje",
    single_line: "El campo «{}» debe ocupar una sola línea",
    control: "El campo «{}» contiene un carácter de control o de dirección invisible: vuelva a escribirlo",
    too_long: "El campo «{}» debe tener como máximo {} caracteres",
    message_too_long: "Su mensaje debe tener como máximo {} caracteres",
    email_ascii: "Escriba una dirección de correo electrónico con letras simples (a-z, cifras, puntos), ya que desde aquí no se puede responder a direcciones con acentos u otros sistemas de escritura",
    email: "Escriba una dirección de correo electrónico como name@example.com, para que el contacto pueda responder",
    contact: "Elija uno de los contactos de la lista",
    consent: "Marque la casilla para aceptar que se conserven sus datos para responderle",
    unavailable: "No se pudo aceptar su mensaje en este momento. No se envió nada; vuelva a intentarlo dentro de un minuto.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_string() {
        super::super::catalog::tests::check_every_language(of, &[]);
    }
}
