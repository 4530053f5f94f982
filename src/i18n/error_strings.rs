//! What a reader is told when a page cannot be shown, in the six
//! languages: the error page's title and message (a missing page, too many
//! requests, a damaged alert, a backing service down, anything else), the
//! subscriber links' problems and the anti-robot check's refusal. A `{}`
//! marks where a value goes (`super::fill`). Answers meant for programs
//! and operators (a malformed parameter, a wrong method or content type, a
//! missing token) stay in English.

use super::Lang;

/// The error pages' strings in one language.
#[derive(Debug)]
pub struct ErrorStrings {
    pub not_found_title: &'static str,
    pub not_found: &'static str,
    pub too_many_title: &'static str,
    /// `{}`: seconds.
    pub too_many: &'static str,
    pub broken_title: &'static str,
    pub broken: &'static str,
    pub unavailable_title: &'static str,
    pub unavailable: &'static str,
    pub internal_title: &'static str,
    pub internal: &'static str,
    /// The link under every error page.
    pub home: &'static str,
    pub bad_link_title: &'static str,
    pub link_incomplete: &'static str,
    pub link_invalid: &'static str,
    pub confirm_expired: &'static str,
    pub topics_expired: &'static str,
    pub link_used: &'static str,
    pub subscription_deleted: &'static str,
    /// Turnstile refused or was not completed (a form's field error).
    pub turnstile: &'static str,
}

pub(super) fn of(lang: Lang) -> &'static ErrorStrings {
    lang.pick([&EN, &AR, &ZH, &FR, &RU, &ES])
}

static EN: ErrorStrings = ErrorStrings {
    not_found_title: "Page not found",
    not_found: "There is no page at this address. It may have moved or been unpublished.",
    too_many_title: "Too many requests",
    too_many: "Too many messages from your address. Please try again in {} seconds.",
    broken_title: "This alert cannot be shown",
    broken: "The stored copy of this alert is damaged. The editors have been notified in the logs; other pages are unaffected.",
    unavailable_title: "Please try again",
    unavailable: "This could not be done just now, and nothing was kept. Please try again in a minute.",
    internal_title: "Something went wrong",
    internal: "Something went wrong on our side. Please try again shortly.",
    home: "Go to the latest alerts",
    bad_link_title: "This link does not work",
    link_incomplete: "This link is incomplete. Open the link from the email as it is.",
    link_invalid: "This link is not valid. Open the link from the email as it is.",
    confirm_expired: "This confirmation link has expired (links work for 48 hours). Subscribe again to get a new one.",
    topics_expired: "This link to change your topics has expired (it works for 90 days). Use the link in a recent alert email; every email also has a link to unsubscribe.",
    link_used: "This link was already used, or the request has expired. Subscribe again if you want to.",
    subscription_deleted: "This subscription no longer exists: the address was unsubscribed and deleted.",
    turnstile: "The anti-robot check failed or is missing. Please complete it and send again.",
};

static AR: ErrorStrings = ErrorStrings {
    not_found_title: "الصفحة غير موجودة",
    not_found: "لا توجد صفحة على هذا العنوان. ربما نُقلت أو أُلغي نشرها.",
    too_many_title: "طلبات كثيرة جداً",
    too_many: "وردت رسائل كثيرة جداً من عنوانك. يُرجى المحاولة مرة أخرى بعد {} ثانية.",
    broken_title: "لا يمكن عرض هذا التنبيه",
    broken: "النسخة المخزّنة من هذا التنبيه تالفة. أُبلغ المحررون بذلك في السجلات؛ ولا تتأثر الصفحات الأخرى.",
    unavailable_title: "يُرجى المحاولة مرة أخرى",
    unavailable: "تعذّر إتمام ذلك في الوقت الحالي، ولم يُحفَظ أي شيء. يُرجى المحاولة مرة أخرى بعد دقيقة.",
    internal_title: "حدث خطأ ما",
    internal: "حدث خطأ ما من جهتنا. يُرجى المحاولة مرة أخرى بعد قليل.",
    home: "انتقل إلى أحدث التنبيهات",
    bad_link_title: "هذا الرابط لا يعمل",
    link_incomplete: "هذا الرابط غير مكتمل. افتح الرابط الوارد في الرسالة كما هو.",
    link_invalid: "هذا الرابط غير صالح. افتح الرابط الوارد في الرسالة كما هو.",
    confirm_expired: "انتهت صلاحية رابط التأكيد هذا (تعمل الروابط مدة 48 ساعة). اشترك من جديد للحصول على رابط جديد.",
    topics_expired: "انتهت صلاحية هذا الرابط الخاص بتغيير مواضيعك (يعمل مدة 90 يوماً). استخدم الرابط الوارد في رسالة تنبيه حديثة؛ وفي كل رسالة أيضاً رابط لإلغاء الاشتراك.",
    link_used: "سبق استخدام هذا الرابط، أو انتهت صلاحية الطلب. اشترك من جديد إذا أردت.",
    subscription_deleted: "لم يعد هذا الاشتراك موجوداً: أُلغي اشتراك العنوان وحُذِف.",
    turnstile: "لم ينجح التحقق المضاد للروبوتات أو لم يُستكمَل. يُرجى إكماله ثم الإرسال مرة أخرى.",
};

static ZH: ErrorStrings = ErrorStrings {
    not_found_title: "未找到页面",
    not_found: "此地址没有页面。该页面可能已移动或已取消发布。",
    too_many_title: "请求过多",
    too_many: "来自您的地址的消息过多。请在{}秒后重试。",
    broken_title: "无法显示此快讯",
    broken: "此快讯的存储副本已损坏。已在日志中通知编辑人员；其他页面不受影响。",
    unavailable_title: "请重试",
    unavailable: "目前无法完成此操作，且未保存任何内容。请在一分钟后重试。",
    internal_title: "出现错误",
    internal: "我们这边出现了错误。请稍后重试。",
    home: "前往最新快讯",
    bad_link_title: "此链接无法使用",
    link_incomplete: "此链接不完整。请按原样打开邮件中的链接。",
    link_invalid: "此链接无效。请按原样打开邮件中的链接。",
    confirm_expired: "此确认链接已过期（链接在48小时内有效）。请重新订阅以获取新链接。",
    topics_expired: "此更改主题的链接已过期（该链接在90天内有效）。请使用近期快讯邮件中的链接；每封邮件也都附有退订链接。",
    link_used: "此链接已被使用，或该申请已过期。如有需要，请重新订阅。",
    subscription_deleted: "此订阅已不存在：该地址已退订并删除。",
    turnstile: "防机器人验证未通过或未完成。请完成验证后重新提交。",
};

static FR: ErrorStrings = ErrorStrings {
    not_found_title: "Page introuvable",
    not_found: "Il n’y a aucune page à cette adresse. Elle a peut-être été déplacée ou retirée de la publication.",
    too_many_title: "Trop de requêtes",
    too_many: "Trop de messages depuis votre adresse. Veuillez réessayer dans {} secondes.",
    broken_title: "Cette alerte ne peut pas être affichée",
    broken: "La copie enregistrée de cette alerte est endommagée. Les rédacteurs en ont été avertis dans les journaux ; les autres pages ne sont pas concernées.",
    unavailable_title: "Veuillez réessayer",
    unavailable: "Cette opération n’a pas pu être effectuée pour le moment, et rien n’a été conservé. Veuillez réessayer dans une minute.",
    internal_title: "Une erreur s’est produite",
    internal: "Une erreur s’est produite de notre côté. Veuillez réessayer dans un instant.",
    home: "Aller aux dernières alertes",
    bad_link_title: "Ce lien ne fonctionne pas",
    link_incomplete: "Ce lien est incomplet. Ouvrez le lien de l’e-mail tel quel.",
    link_invalid: "Ce lien n’est pas valide. Ouvrez le lien de l’e-mail tel quel.",
    confirm_expired: "Ce lien de confirmation a expiré (les liens sont valables 48 heures). Abonnez-vous à nouveau pour en recevoir un nouveau.",
    topics_expired: "Ce lien pour modifier vos sujets a expiré (il est valable 90 jours). Utilisez le lien d’un e-mail d’alerte récent ; chaque e-mail contient aussi un lien pour vous désabonner.",
    link_used: "Ce lien a déjà été utilisé, ou la demande a expiré. Abonnez-vous à nouveau si vous le souhaitez.",
    subscription_deleted: "Cet abonnement n’existe plus : l’adresse a été désabonnée et supprimée.",
    turnstile: "La vérification anti-robot a échoué ou n’a pas été effectuée. Veuillez l’effectuer, puis envoyer à nouveau.",
};

static RU: ErrorStrings = ErrorStrings {
    not_found_title: "Страница не найдена",
    not_found: "По этому адресу нет страницы. Возможно, она была перемещена или снята с публикации.",
    too_many_title: "Слишком много запросов",
    too_many: "Слишком много сообщений с вашего адреса. Пожалуйста, повторите попытку через {} с.",
    broken_title: "Это оповещение невозможно показать",
    broken: "Сохранённая копия этого оповещения повреждена. Редакторы уведомлены через журналы; другие страницы не затронуты.",
    unavailable_title: "Пожалуйста, повторите попытку",
    unavailable: "Сейчас это не удалось выполнить, и ничего не было сохранено. Пожалуйста, повторите попытку через минуту.",
    internal_title: "Что-то пошло не так",
    internal: "На нашей стороне что-то пошло не так. Пожалуйста, повторите попытку немного позже.",
    home: "Перейти к последним оповещениям",
    bad_link_title: "Эта ссылка не работает",
    link_incomplete: "Эта ссылка неполная. Откройте ссылку из письма без изменений.",
    link_invalid: "Эта ссылка недействительна. Откройте ссылку из письма без изменений.",
    confirm_expired: "Срок действия этой ссылки для подтверждения истёк (ссылки действуют 48 часов). Подпишитесь снова, чтобы получить новую.",
    topics_expired: "Срок действия этой ссылки для изменения тем истёк (она действует 90 дней). Воспользуйтесь ссылкой из недавнего письма с оповещением; в каждом письме также есть ссылка, чтобы отписаться.",
    link_used: "Эта ссылка уже была использована, или срок действия запроса истёк. Подпишитесь снова, если пожелаете.",
    subscription_deleted: "Этой подписки больше не существует: адрес был отписан и удалён.",
    turnstile: "Проверка на робота не пройдена или не выполнена. Пожалуйста, пройдите её и отправьте форму ещё раз.",
};

static ES: ErrorStrings = ErrorStrings {
    not_found_title: "Página no encontrada",
    not_found: "No hay ninguna página en esta dirección. Puede que se haya trasladado o retirado de la publicación.",
    too_many_title: "Demasiadas solicitudes",
    too_many: "Demasiados mensajes desde su dirección. Vuelva a intentarlo dentro de {} segundos.",
    broken_title: "Esta alerta no se puede mostrar",
    broken: "La copia almacenada de esta alerta está dañada. Se ha avisado a los editores en los registros; las demás páginas no se ven afectadas.",
    unavailable_title: "Vuelva a intentarlo",
    unavailable: "No se pudo hacer esto en este momento, y no se guardó nada. Vuelva a intentarlo dentro de un minuto.",
    internal_title: "Algo salió mal",
    internal: "Algo salió mal por nuestra parte. Vuelva a intentarlo en breve.",
    home: "Ir a las últimas alertas",
    bad_link_title: "Este enlace no funciona",
    link_incomplete: "Este enlace está incompleto. Abra el enlace del correo tal como está.",
    link_invalid: "Este enlace no es válido. Abra el enlace del correo tal como está.",
    confirm_expired: "Este enlace de confirmación ha caducado (los enlaces son válidos durante 48 horas). Suscríbase de nuevo para recibir uno nuevo.",
    topics_expired: "Este enlace para cambiar sus temas ha caducado (es válido durante 90 días). Use el enlace de un correo de alerta reciente; cada correo tiene también un enlace para darse de baja.",
    link_used: "Este enlace ya se utilizó, o la solicitud ha caducado. Suscríbase de nuevo si lo desea.",
    subscription_deleted: "Esta suscripción ya no existe: la dirección se dio de baja y se eliminó.",
    turnstile: "La verificación antirrobot falló o no se ha realizado. Complétela y envíe el formulario de nuevo.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_string() {
        super::super::catalog::tests::check_every_language(of, &[]);
    }
}
