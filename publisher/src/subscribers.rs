//! `alerts subscribers` (`make subscribers`): how many subscribe, by
//! frequency, scope and topic, how many wait for confirmation, how much
//! mail is dead, and the last 30 days' bounce and complaint rates of each
//! sender (with the warning `/healthz` gives past 0.3% complaints): counts
//! read from D1 through `wrangler d1 execute`, never an address.

use access_alerts::app::suppress::{percent, Rates, RATE_DAYS};

/// The statements, in the order `report` reads their results.
pub const QUERY: &str = "SELECT frequency, every, count(*) AS n FROM subscribers GROUP BY 1, 2 ORDER BY 1, 2; \
SELECT t.topic, s.frequency, count(*) AS n FROM subscriber_topics t JOIN subscribers s ON s.id = t.subscriber_id GROUP BY 1, 2 ORDER BY 1, 2; \
SELECT (SELECT count(*) FROM pending) AS pending, (SELECT count(*) FROM dead_mail) AS dead, (SELECT count(*) FROM suppressed) AS suppressed; \
SELECT stream, kind, sum(n) AS n FROM mail_counts WHERE day >= CAST(strftime('%s', 'now') AS INTEGER) / 86400 - 29 GROUP BY 1, 2 ORDER BY 1, 2";

/// The report from `wrangler d1 execute --json`'s answer to `QUERY`; an
/// answer that is not JSON is an error.
pub fn report(json: &str) -> Result<String, serde_json::Error> {
    let answer: Vec<serde_json::Value> = serde_json::from_str(json)?;
    let rows = |i: usize| -> Vec<serde_json::Value> {
        answer
            .get(i)
            .and_then(|r| r["results"].as_array())
            .cloned()
            .unwrap_or_default()
    };
    let n = |r: &serde_json::Value| r["n"].as_u64().unwrap_or(0);
    let by = rows(0);
    let total: u64 = by.iter().map(n).sum();
    let count =
        |f: &dyn Fn(&serde_json::Value) -> bool| -> u64 { by.iter().filter(|r| f(r)).map(n).sum() };
    let mut out = format!(
        "subscribers: {total} (each alert as it goes live: {}, weekly digest: {}; every alert: {}, chosen topics: {})\n",
        count(&|r| r["frequency"] == "each"),
        count(&|r| r["frequency"] == "weekly"),
        count(&|r| r["every"] == 1),
        count(&|r| r["every"] == 0),
    );
    let status = rows(2);
    let status = status.first().cloned().unwrap_or_default();
    out.push_str(&format!(
        "awaiting confirmation: {}; dead mail: {}; suppressed addresses: {}\n",
        status["pending"].as_u64().unwrap_or(0),
        status["dead"].as_u64().unwrap_or(0),
        status["suppressed"].as_u64().unwrap_or(0)
    ));
    out.push_str(&rates(&rows(3)));
    let topics = rows(1);
    if !topics.is_empty() {
        out.push_str("chosen topics (subscribers by frequency):\n");
        for r in &topics {
            out.push_str(&format!(
                "  {}\t{}\t{}\n",
                r["topic"].as_str().unwrap_or(""),
                r["frequency"].as_str().unwrap_or(""),
                n(r)
            ));
        }
    }
    Ok(out)
}

/// The senders' lines: what each sent in the last `RATE_DAYS` days and
/// what came back, and a warning past the complaint limit.
fn rates(rows: &[serde_json::Value]) -> String {
    let mut out = String::new();
    for stream in ["bulk", "transactional"] {
        let mut r = Rates::default();
        for row in rows.iter().filter(|row| row["stream"] == stream) {
            let n = row["n"].as_i64().unwrap_or(0);
            match row["kind"].as_str().unwrap_or("") {
                "sent" => r.sent += n,
                "hard-bounce" => r.hard_bounces += n,
                "soft-bounce" => r.soft_bounces += n,
                _ => r.complaints += n,
            }
        }
        out.push_str(&format!(
            "{stream} mail, last {RATE_DAYS} days: sent {}, bounced {} (hard {}, soft {}; {}%), complaints {} ({}%)\n",
            r.sent,
            r.hard_bounces + r.soft_bounces,
            r.hard_bounces,
            r.soft_bounces,
            percent(r.bounce_bp()),
            r.complaints,
            percent(r.complaint_bp())
        ));
        if r.complaints_past_limit() {
            out.push_str(&format!(
                "warning: {stream} mail's complaint rate is past 0.3%: mailbox providers start refusing the domain's mail\n"
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_frequency_scope_and_topic() {
        let json = r#"[
          {"results": [{"frequency": "each", "every": 0, "n": 2}, {"frequency": "each", "every": 1, "n": 5}, {"frequency": "weekly", "every": 1, "n": 1}], "success": true},
          {"results": [{"topic": "c:Opinion", "frequency": "each", "n": 2}], "success": true},
          {"results": [{"pending": 3, "dead": 0, "suppressed": 2}], "success": true},
          {"results": [{"stream": "bulk", "kind": "complaint", "n": 4}, {"stream": "bulk", "kind": "hard-bounce", "n": 10}, {"stream": "bulk", "kind": "sent", "n": 1000}, {"stream": "transactional", "kind": "sent", "n": 7}], "success": true}
        ]"#;
        assert_eq!(
            report(json).unwrap(),
            "subscribers: 8 (each alert as it goes live: 7, weekly digest: 1; every alert: 6, chosen topics: 2)\n\
             awaiting confirmation: 3; dead mail: 0; suppressed addresses: 2\n\
             bulk mail, last 30 days: sent 1000, bounced 10 (hard 10, soft 0; 1.00%), complaints 4 (0.40%)\n\
             warning: bulk mail's complaint rate is past 0.3%: mailbox providers start refusing the domain's mail\n\
             transactional mail, last 30 days: sent 7, bounced 0 (hard 0, soft 0; 0.00%), complaints 0 (0.00%)\n\
             chosen topics (subscribers by frequency):\n  c:Opinion\teach\t2\n"
        );
        assert!(report("not json").is_err());
    }
}
