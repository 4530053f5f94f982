//! The search page's strings in the six languages (beside the page
//! chrome's, `super::catalog`). A `{}` marks where a value goes
//! (`super::fill`).

use super::Lang;

/// The search page's strings in one language.
#[derive(Debug)]
pub struct SearchStrings {
    pub heading: &'static str,
    /// `{}`: the query.
    pub results_for: &'static str,
    pub description: &'static str,
    pub hint: &'static str,
    /// `{}`: a number of characters.
    pub cut_length: &'static str,
    /// `{}`: a number of words.
    pub cut_terms: &'static str,
    pub category: &'static str,
    pub tag: &'static str,
    pub year: &'static str,
    /// The active filters' list (its name).
    pub filters: &'static str,
    pub remove: &'static str,
    pub empty: &'static str,
    pub no_match: &'static str,
    /// `{}`: the suggested query, as a link.
    pub did_you_mean: &'static str,
    /// `{}`: the query.
    pub everywhere: &'static str,
    pub no_more: &'static str,
    /// The pager's name, and its links.
    pub pager: &'static str,
    pub first: &'static str,
    pub more: &'static str,
}

pub(super) fn of(lang: Lang) -> &'static SearchStrings {
    lang.pick([&EN, &AR, &ZH, &FR, &RU, &ES])
}

static EN: SearchStrings = SearchStrings {
    heading: "Search",
    results_for: "Search results for “{}”",
    description: "Search every alert",
    hint: "All words must match. Use \"quotes\" for a phrase and -word to leave a word out.",
    cut_length: "Your search was cut to its first {} characters.",
    cut_terms: "Only the first {} words of your search were used.",
    category: "Category",
    tag: "Tag",
    year: "Year",
    filters: "Filters (select one to remove it)",
    remove: "(remove)",
    empty: "Type the words you are looking for.",
    no_match: "No alerts match your search.",
    did_you_mean: "Did you mean {}?",
    everywhere: "Search every alert for “{}”",
    no_more: "No more matches on this page.",
    pager: "More results",
    first: "First results",
    more: "More results",
};

static AR: SearchStrings = SearchStrings {
    heading: "البحث",
    results_for: "نتائج البحث عن «{}»",
    description: "البحث في جميع التنبيهات",
    hint:
        "يجب أن تتطابق جميع الكلمات. استخدم \"علامتي الاقتباس\" للبحث عن عبارة و -كلمة لاستبعاد كلمة.",
    cut_length: "اختُصر بحثك إلى أول {} حرفًا.",
    cut_terms: "استُخدمت أول {} كلمات فقط من بحثك.",
    category: "الفئة",
    tag: "الوسم",
    year: "السنة",
    filters: "عوامل التصفية (اختر أحدها لإزالته)",
    remove: "(إزالة)",
    empty: "اكتب الكلمات التي تبحث عنها.",
    no_match: "لا توجد تنبيهات تطابق بحثك.",
    did_you_mean: "هل تقصد {}؟",
    everywhere: "البحث عن «{}» في جميع التنبيهات",
    no_more: "لا مزيد من النتائج في هذه الصفحة.",
    pager: "المزيد من النتائج",
    first: "النتائج الأولى",
    more: "المزيد من النتائج",
};

static ZH: SearchStrings = SearchStrings {
    heading: "搜索",
    results_for: "“{}”的搜索结果",
    description: "搜索所有快讯",
    hint: "须匹配所有词语。用\"引号\"搜索短语，用 -词语 排除某个词语。",
    cut_length: "您的搜索已截取为前 {} 个字符。",
    cut_terms: "仅使用了您搜索中的前 {} 个词语。",
    category: "类别",
    tag: "标签",
    year: "年份",
    filters: "筛选条件（选择一项即可移除）",
    remove: "（移除）",
    empty: "请输入您要查找的词语。",
    no_match: "没有与您的搜索相符的快讯。",
    did_you_mean: "您是不是要找 {}？",
    everywhere: "在所有快讯中搜索“{}”",
    no_more: "本页没有更多结果。",
    pager: "更多结果",
    first: "最前面的结果",
    more: "更多结果",
};

static FR: SearchStrings = SearchStrings {
    heading: "Recherche",
    results_for: "Résultats de la recherche « {} »",
    description: "Rechercher dans toutes les alertes",
    hint: "Tous les mots doivent correspondre. Utilisez des \"guillemets\" pour une expression et -mot pour exclure un mot.",
    cut_length: "Votre recherche a été réduite à ses {} premiers caractères.",
    cut_terms: "Seuls les {} premiers mots de votre recherche ont été utilisés.",
    category: "Catégorie",
    tag: "Mot-clé",
    year: "Année",
    filters: "Filtres (choisissez-en un pour le retirer)",
    remove: "(retirer)",
    empty: "Saisissez les mots que vous cherchez.",
    no_match: "Aucune alerte ne correspond à votre recherche.",
    did_you_mean: "Vouliez-vous dire {} ?",
    everywhere: "Rechercher « {} » dans toutes les alertes",
    no_more: "Plus aucun résultat sur cette page.",
    pager: "Plus de résultats",
    first: "Premiers résultats",
    more: "Résultats suivants",
};

static RU: SearchStrings = SearchStrings {
    heading: "Поиск",
    results_for: "Результаты поиска по запросу «{}»",
    description: "Поиск по всем оповещениям",
    hint: "Должны совпасть все слова. Используйте \"кавычки\" для фразы и -слово, чтобы исключить слово.",
    cut_length: "Ваш запрос сокращён до первых {} символов.",
    cut_terms: "Использованы только первые {} слов вашего запроса.",
    category: "Категория",
    tag: "Тег",
    year: "Год",
    filters: "Фильтры (выберите фильтр, чтобы убрать его)",
    remove: "(убрать)",
    empty: "Введите слова, которые вы ищете.",
    no_match: "Нет оповещений, соответствующих запросу.",
    did_you_mean: "Возможно, вы имели в виду {}?",
    everywhere: "Искать «{}» во всех оповещениях",
    no_more: "На этой странице больше нет совпадений.",
    pager: "Другие результаты",
    first: "Первые результаты",
    more: "Ещё результаты",
};

static ES: SearchStrings = SearchStrings {
    heading: "Búsqueda",
    results_for: "Resultados de la búsqueda «{}»",
    description: "Buscar en todas las alertas",
    hint: "Todas las palabras deben coincidir. Use \"comillas\" para una frase y -palabra para excluir una palabra.",
    cut_length: "Su búsqueda se recortó a sus primeros {} caracteres.",
    cut_terms: "Solo se usaron las primeras {} palabras de su búsqueda.",
    category: "Categoría",
    tag: "Etiqueta",
    year: "Año",
    filters: "Filtros (seleccione uno para quitarlo)",
    remove: "(quitar)",
    empty: "Escriba las palabras que busca.",
    no_match: "Ninguna alerta coincide con su búsqueda.",
    did_you_mean: "¿Quiso decir {}?",
    everywhere: "Buscar «{}» en todas las alertas",
    no_more: "No hay más coincidencias en esta página.",
    pager: "Más resultados",
    first: "Primeros resultados",
    more: "Más resultados",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_search_string_and_its_placeholder() {
        super::super::catalog::tests::check_every_language(|lang| of(lang), &[]);
    }
}
