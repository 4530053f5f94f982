//! `make bench`'s search per language (issue 24): a query in each of the
//! six languages against the article page in that language, at scale, in
//! one run. The sample content plus N synthetic alerts (`SEARCH_ALERTS`,
//! 10,000 by default), each translated into the five other languages (a
//! faithful rendering of the synthetic English), so that every language's
//! index holds N documents: a word in every one of them (the hardest
//! query, as `alert` is in English), words of the seed alert's translation
//! (few documents), a phrase and a prefix. Native CPU (the release
//! profile): the wasm in workerd is slower, and the ratios are what
//! compares.

use crate::fake::Site;
use crate::SEED;
use access_alerts::content::AlertRecord;
use access_alerts::i18n::{Lang, Translation};
use std::time::Instant;

/// The `i`-th synthetic alert with its five translations.
fn translated(i: usize) -> AlertRecord {
    let mut r = publisher::synthetic::record(i);
    let texts = [
        (
            Lang::Fr,
            format!("Alerte synthétique {i} : une évolution politique à connaître"),
            format!("Alerte synthétique numéro {i}, générée pour mesurer les listes à grande échelle.\n\n## Détails\n\nUn corps court avec un [lien](https://example.org/{i}) et de l’*emphase*.\n"),
        ),
        (
            Lang::Ar,
            format!("تنبيه اصطناعي {i}: تطور في السياسات يستحق المعرفة"),
            format!("التنبيه الاصطناعي رقم {i}، أُنشئ لقياس القوائم على نطاق واسع.\n\n## التفاصيل\n\nنص قصير فيه [رابط](https://example.org/{i}) و*تأكيد*.\n"),
        ),
        (
            Lang::Zh,
            format!("合成快讯 {i}：值得了解的政策动态"),
            format!("第 {i} 号合成快讯，为大规模测量列表而生成。\n\n## 详情\n\n一段简短的正文，包含一个[链接](https://example.org/{i})和*强调*。\n"),
        ),
        (
            Lang::Ru,
            format!("Синтетическое оповещение {i}: изменение политики, о котором стоит знать"),
            format!("Синтетическое оповещение номер {i}, созданное для измерения списков в масштабе.\n\n## Подробности\n\nКороткий текст со [ссылкой](https://example.org/{i}) и *выделением*.\n"),
        ),
        (
            Lang::Es,
            format!("Alerta sintética {i}: una novedad política que conviene conocer"),
            format!("Alerta sintética número {i}, generada para medir listados a gran escala.\n\n## Detalles\n\nUn cuerpo breve con un [enlace](https://example.org/{i}) y *énfasis*.\n"),
        ),
    ];
    r.translations = texts
        .into_iter()
        .map(|(lang, title, body)| Translation {
            lang,
            summary: body.lines().next().unwrap_or_default().to_string(),
            title,
            contact_note: None,
            image_alt: None,
            translated: r.date,
            body: body.into(),
        })
        .collect();
    r
}

/// A language, its article page, and its queries (name, text).
type Row = (Lang, String, Vec<(&'static str, &'static str)>);

/// Microseconds per answer of `path`: the best of 7 rounds of 200, after a
/// warm-up (the isolate's caches hold what the route reads, as they do
/// for a popular query).
fn micros(site: &Site, path: &str) -> f64 {
    for _ in 0..20 {
        assert_eq!(site.get(path).status, 200, "{path}");
    }
    (0..7)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..200 {
                std::hint::black_box(site.get(path));
            }
            t.elapsed().as_secs_f64() * 1e6 / 200.0
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
#[ignore = "a benchmark: make bench runs it"]
fn search_per_language_against_the_article_page() {
    let n: usize = std::env::var("SEARCH_ALERTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let site = Site::from_content();
    let started = Instant::now();
    for i in 0..n {
        site.fake.publish(&translated(i));
    }
    site.fake.reindex();
    let seeded = started.elapsed().as_secs_f64();
    let rows: [Row; 6] = [
        (
            Lang::En,
            format!("/alerts/{SEED}"),
            vec![
                ("one word", "accreditation"),
                ("phrase", "\"working group\""),
                ("prefix", "accredit"),
                ("a word in every alert", "alert"),
            ],
        ),
        (
            Lang::Fr,
            format!("/fr/alerts/{SEED}"),
            vec![
                ("one word", "negociation"),
                ("two words", "société civile"),
                ("prefix", "cybersécu"),
                ("a word in every alert", "alerte"),
            ],
        ),
        (
            Lang::Ar,
            format!("/ar/alerts/{SEED}"),
            vec![
                ("one word", "المفاوضات"),
                ("phrase", "\"الفريق العامل\""),
                ("unnormalised", "الامن"),
                ("a word in every alert", "تنبيه"),
            ],
        ),
        (
            Lang::Zh,
            format!("/zh/alerts/{SEED}"),
            vec![
                ("one word", "工作组"),
                ("two words", "关键基础设施"),
                ("one character", "网"),
                ("a word in every alert", "快讯"),
            ],
        ),
        (
            Lang::Ru,
            format!("/ru/alerts/{SEED}"),
            vec![
                ("one word", "переговоры"),
                ("phrase", "\"рабочая группа\""),
                ("one alert's number", "оповещение 1234"),
                ("a word in every alert", "оповещение"),
            ],
        ),
        (
            Lang::Es,
            format!("/es/alerts/{SEED}"),
            vec![
                ("one word", "negociacion"),
                ("phrase", "\"grupo de trabajo\""),
                ("one alert's number", "sintética 1234"),
                ("a word in every alert", "alerta"),
            ],
        ),
    ];
    println!(
        "search per language at {} alerts (each synthetic one in six languages; seeded in-process in {seeded:.1} s), native, release profile, best of 7 rounds of 200",
        n + 5
    );
    println!(
        "| language | query | µs per answer | the article page in it, µs | vs the article page |"
    );
    println!("|---|---|---|---|---|");
    let mut worst: f64 = 0.0;
    // `SEARCH_LANGS=ar,zh`: those languages only (to profile one).
    let only = std::env::var("SEARCH_LANGS").unwrap_or_default();
    for (lang, article, queries) in &rows {
        if !only.is_empty() && !only.split(',').any(|c| c == lang.code()) {
            continue;
        }
        let page = micros(&site, article);
        for (name, text) in queries {
            let prefix = match lang {
                Lang::En => String::new(),
                l => format!("/{}", l.code()),
            };
            let query = serde_urlencoded::to_string([("q", text)]).unwrap();
            let path = format!("{prefix}/search?{query}");
            let body = site.get(&path).text();
            assert!(
                body.contains(r#"<li class="result">"#),
                "{path} finds something"
            );
            let us = micros(&site, &path);
            worst = worst.max(us / page);
            println!(
                "| {} | {name}: `{text}` | {us:.1} | {page:.1} | {:.2}x |",
                lang.code(),
                us / page
            );
        }
    }
    println!("worst ratio: {worst:.2}x");
}
