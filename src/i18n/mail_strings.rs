//! The strings of email alerts' messages in the six languages: the
//! confirmation request, an alert, an update and the weekly digest. A
//! `{}` marks where a value goes (`super::fill`; where there are two, in
//! the order the comment gives).

use super::Lang;

/// The mails' strings in one language.
#[derive(Debug)]
pub struct MailStrings {
    /// `{}`: the site's name.
    pub confirm_subject: &'static str,
    /// `{}`, `{}`: the site's name, then what was chosen.
    pub confirm_asked: &'static str,
    /// The text part's line before the link.
    pub confirm_open: &'static str,
    /// After the link in the HTML part.
    pub confirm_link_works: &'static str,
    pub confirm_ignore: &'static str,
    /// `{}`: what the reader subscribed to.
    pub reason: &'static str,
    pub manage: &'static str,
    pub unsubscribe: &'static str,
    /// `{}`: the alert's title.
    pub update_subject: &'static str,
    pub read_on_site: &'static str,
    /// `{}`, `{}`: the site's name, then the week (`2024-W48`).
    pub digest_subject: &'static str,
    pub digest_heading: &'static str,
    /// First in an alert sent in English to a reader of another language.
    pub not_translated: &'static str,
    /// First in a test send.
    pub test_notice: &'static str,
}

pub(super) fn of(lang: Lang) -> &'static MailStrings {
    lang.pick([&EN, &AR, &ZH, &FR, &RU, &ES])
}

static EN: MailStrings = MailStrings {
    confirm_subject: "Confirm your subscription to {}",
    confirm_asked: "Someone, probably you, asked to receive {} by email: {}.",
    confirm_open: "To confirm, open this link and press the button on the page (it works for 48 hours):",
    confirm_link_works: "(the link works for 48 hours).",
    confirm_ignore: "If it was not you, ignore this email: nothing more will be sent, and the request is deleted after 48 hours.",
    reason: "You get this because you subscribed to: {}.",
    manage: "Change topics or frequency",
    unsubscribe: "Unsubscribe",
    update_subject: "Updated: {}",
    read_on_site: "Read it on the site",
    digest_subject: "{}: the week's alerts ({})",
    digest_heading: "The week's alerts",
    not_translated: "This alert has not been translated into English, so it is sent in English.",
    test_notice: "Test send: no subscriber has been mailed this, and its links change no subscription.",
};

static AR: MailStrings = MailStrings {
    confirm_subject: "أكّد اشتراكك في {}",
    confirm_asked: "طلب شخصٌ ما، وعلى الأرجح أنت، تلقّي {} بالبريد الإلكتروني: {}.",
    confirm_open: "للتأكيد، افتح هذا الرابط واضغط الزر في الصفحة (يعمل مدة 48 ساعة):",
    confirm_link_works: "(يعمل الرابط مدة 48 ساعة).",
    confirm_ignore: "إذا لم تكن أنت، فتجاهل هذه الرسالة: لن يُرسَل شيء آخر، ويُحذَف الطلب بعد 48 ساعة.",
    reason: "تصلك هذه الرسالة لأنك اشتركت في: {}.",
    manage: "تغيير المواضيع أو عدد المرات",
    unsubscribe: "إلغاء الاشتراك",
    update_subject: "تحديث: {}",
    read_on_site: "اقرأه على الموقع",
    digest_subject: "{}: تنبيهات الأسبوع ({})",
    digest_heading: "تنبيهات الأسبوع",
    not_translated: "لم يُترجَم هذا التنبيه إلى العربية، لذا يُرسَل بالإنجليزية.",
    test_notice: "إرسال تجريبي: لم يُرسَل هذا إلى أي مشترك، ولا تغيّر روابطه أي اشتراك.",
};

static ZH: MailStrings = MailStrings {
    confirm_subject: "确认订阅{}",
    confirm_asked: "有人（很可能是您）申请通过电子邮件接收{}：{}。",
    confirm_open: "如需确认，请打开此链接并按下页面上的按钮（链接在48小时内有效）：",
    confirm_link_works: "（链接在48小时内有效）。",
    confirm_ignore:
        "如果不是您本人申请，请忽略此邮件：我们不会再发送任何邮件，该申请将在48小时后删除。",
    reason: "您收到此邮件，是因为您订阅了：{}。",
    manage: "更改主题或接收频率",
    unsubscribe: "退订",
    update_subject: "更新：{}",
    read_on_site: "在网站上阅读",
    digest_subject: "{}：本周快讯（{}）",
    digest_heading: "本周快讯",
    not_translated: "本快讯尚未译成中文，因此以英文发送。",
    test_notice: "测试发送：没有任何订阅者收到此邮件，其中的链接也不会更改任何订阅。",
};

static FR: MailStrings = MailStrings {
    confirm_subject: "Confirmez votre abonnement à {}",
    confirm_asked: "Quelqu’un, probablement vous, a demandé à recevoir {} par e-mail : {}.",
    confirm_open: "Pour confirmer, ouvrez ce lien et appuyez sur le bouton de la page (il est valable 48 heures) :",
    confirm_link_works: "(le lien est valable 48 heures).",
    confirm_ignore: "Si ce n’était pas vous, ignorez cet e-mail : rien de plus ne sera envoyé, et la demande est supprimée après 48 heures.",
    reason: "Vous recevez cet e-mail parce que vous êtes abonné à : {}.",
    manage: "Modifier les sujets ou la fréquence",
    unsubscribe: "Se désabonner",
    update_subject: "Mise à jour : {}",
    read_on_site: "Lire sur le site",
    digest_subject: "{} : les alertes de la semaine ({})",
    digest_heading: "Les alertes de la semaine",
    not_translated: "Cette alerte n’a pas été traduite en français ; elle est donc envoyée en anglais.",
    test_notice: "Envoi de test : aucun abonné n’a reçu cet e-mail, et ses liens ne modifient aucun abonnement.",
};

static RU: MailStrings = MailStrings {
    confirm_subject: "Подтвердите подписку на {}",
    confirm_asked: "Кто-то, вероятно вы, попросил получать {} по электронной почте: {}.",
    confirm_open: "Чтобы подтвердить, откройте эту ссылку и нажмите кнопку на странице (она действует 48 часов):",
    confirm_link_works: "(ссылка действует 48 часов).",
    confirm_ignore: "Если это были не вы, не обращайте внимания на это письмо: больше ничего не будет отправлено, а запрос будет удалён через 48 часов.",
    reason: "Вы получили это письмо, потому что подписались на: {}.",
    manage: "Изменить темы или частоту",
    unsubscribe: "Отписаться",
    update_subject: "Обновлено: {}",
    read_on_site: "Читать на сайте",
    digest_subject: "{}: оповещения недели ({})",
    digest_heading: "Оповещения недели",
    not_translated: "Это оповещение не переведено на русский язык, поэтому оно отправлено на английском.",
    test_notice: "Тестовая отправка: это письмо не получил ни один подписчик, а его ссылки не меняют ни одной подписки.",
};

static ES: MailStrings = MailStrings {
    confirm_subject: "Confirme su suscripción a {}",
    confirm_asked: "Alguien, probablemente usted, pidió recibir {} por correo electrónico: {}.",
    confirm_open: "Para confirmar, abra este enlace y pulse el botón de la página (es válido durante 48 horas):",
    confirm_link_works: "(el enlace es válido durante 48 horas).",
    confirm_ignore: "Si no fue usted, ignore este correo: no se enviará nada más, y la solicitud se elimina al cabo de 48 horas.",
    reason: "Recibe este correo porque se suscribió a: {}.",
    manage: "Cambiar temas o frecuencia",
    unsubscribe: "Darse de baja",
    update_subject: "Actualización: {}",
    read_on_site: "Leer en el sitio",
    digest_subject: "{}: las alertas de la semana ({})",
    digest_heading: "Las alertas de la semana",
    not_translated: "Esta alerta no se ha traducido al español, por eso se envía en inglés.",
    test_notice: "Envío de prueba: ningún suscriptor ha recibido esto, y sus enlaces no cambian ninguna suscripción.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_string() {
        super::super::catalog::tests::check_every_language(of, &[]);
    }
}
