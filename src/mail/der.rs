//! Just enough DER to take an X.509 certificate (RFC 5280) apart: the
//! SNS signing certificate's SubjectPublicKeyInfo (what WebCrypto's
//! `importKey("spki", ...)` takes) and its validity. Nothing here checks
//! the certificate's own signature or its chain: trust in the key comes
//! from fetching it over HTTPS from an SNS host (`super::sns`).
//!
//! ```text
//! Certificate  ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
//! TBSCertificate ::= SEQUENCE {
//!     version [0] EXPLICIT INTEGER OPTIONAL, serialNumber INTEGER,
//!     signature AlgorithmIdentifier, issuer Name,
//!     validity SEQUENCE { notBefore Time, notAfter Time },
//!     subject Name, subjectPublicKeyInfo SEQUENCE { algorithm, BIT STRING }, ... }
//! Time ::= UTCTime "YYMMDDHHMMSSZ" | GeneralizedTime "YYYYMMDDHHMMSSZ"
//! ```
//!
//! Every read is bounds-checked: any input gives a `CertError`, never a
//! panic (a property test feeds it arbitrary and damaged bytes).

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OID: u8 = 0x06;
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;
/// `[0]` constructed, context-specific: the version's explicit tag.
const VERSION: u8 = 0xa0;
/// 1.2.840.113549.1.1.1, rsaEncryption.
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// What a certificate gives the verifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The DER SubjectPublicKeyInfo, whole (tag and length included).
    pub spki: Vec<u8>,
    /// `validity.notBefore`, unix milliseconds.
    pub not_before_millis: i64,
    /// `validity.notAfter`, unix milliseconds.
    pub not_after_millis: i64,
}

impl Certificate {
    /// Whether `now_millis` lies within the validity (both ends included).
    pub fn valid_at(&self, now_millis: i64) -> bool {
        self.not_before_millis <= now_millis && now_millis <= self.not_after_millis
    }
}

/// Why a certificate was refused, fit for a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertError {
    /// The element named could not be read where it should be.
    Malformed(&'static str),
    /// The key is not an RSA key (rsaEncryption).
    NotRsa,
}

impl std::fmt::Display for CertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CertError::Malformed(what) => write!(f, "malformed {what}"),
            CertError::NotRsa => f.write_str("not an RSA key"),
        }
    }
}

/// One element: its tag, its contents, and all its bytes.
struct Tlv<'a> {
    tag: u8,
    value: &'a [u8],
    whole: &'a [u8],
}

/// Reads elements one after the other from a slice.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    /// The next element, or `None` when what is left is not one: a
    /// high tag number (X.509 uses none), an indefinite length (not DER),
    /// a length of more than four bytes, or contents past the end.
    fn next(&mut self) -> Option<Tlv<'a>> {
        let input = self.0;
        let (&tag, rest) = input.split_first()?;
        if tag & 0x1f == 0x1f {
            return None;
        }
        let (&first, mut rest) = rest.split_first()?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 || rest.len() < count {
                return None;
            }
            let (bytes, after) = rest.split_at(count);
            rest = after;
            bytes
                .iter()
                .fold(0u64, |len, &b| (len << 8) | u64::from(b))
                .try_into()
                .ok()?
        };
        if rest.len() < len {
            return None;
        }
        let header = input.len() - rest.len();
        let (whole, after) = input.split_at(header + len);
        self.0 = after;
        Some(Tlv {
            tag,
            value: &whole[header..],
            whole,
        })
    }

    /// The next element, which must have this tag; `what` names it in the error.
    fn expect(&mut self, tag: u8, what: &'static str) -> Result<Tlv<'a>, CertError> {
        match self.next() {
            Some(tlv) if tlv.tag == tag => Ok(tlv),
            _ => Err(CertError::Malformed(what)),
        }
    }
}

/// The SubjectPublicKeyInfo and validity of a DER certificate. Bytes after
/// the certificate are refused; extensions and the signature are not read.
pub fn certificate(der: &[u8]) -> Result<Certificate, CertError> {
    let mut outer = Reader(der);
    let cert = outer.expect(SEQUENCE, "Certificate")?;
    if !outer.0.is_empty() {
        return Err(CertError::Malformed("Certificate (bytes after it)"));
    }
    let tbs = Reader(cert.value).expect(SEQUENCE, "tbsCertificate")?;
    let mut fields = Reader(tbs.value);
    if fields.0.first() == Some(&VERSION) {
        fields.expect(VERSION, "version")?;
    }
    fields.expect(INTEGER, "serialNumber")?;
    fields.expect(SEQUENCE, "signature")?;
    fields.expect(SEQUENCE, "issuer")?;
    let validity = fields.expect(SEQUENCE, "validity")?;
    let mut times = Reader(validity.value);
    let not_before_millis = time(times.next(), "notBefore")?;
    let not_after_millis = time(times.next(), "notAfter")?;
    fields.expect(SEQUENCE, "subject")?;
    let spki = fields.expect(SEQUENCE, "subjectPublicKeyInfo")?;
    let mut key = Reader(spki.value);
    let algorithm = key.expect(SEQUENCE, "subjectPublicKeyInfo.algorithm")?;
    let oid = Reader(algorithm.value).expect(OID, "subjectPublicKeyInfo.algorithm")?;
    if oid.value != RSA_ENCRYPTION {
        return Err(CertError::NotRsa);
    }
    key.expect(BIT_STRING, "subjectPublicKey")?;
    Ok(Certificate {
        spki: spki.whole.to_vec(),
        not_before_millis,
        not_after_millis,
    })
}

/// A validity time in unix milliseconds, in the two forms RFC 5280 allows:
/// UTCTime `YYMMDDHHMMSSZ` (years 50 to 99 are 19YY, the rest 20YY) and
/// GeneralizedTime `YYYYMMDDHHMMSSZ`.
fn time(tlv: Option<Tlv<'_>>, what: &'static str) -> Result<i64, CertError> {
    let bad = CertError::Malformed(what);
    let tlv = tlv.ok_or(bad)?;
    let digits = match (tlv.tag, tlv.value) {
        (UTC_TIME, [d @ .., b'Z']) if d.len() == 12 => d,
        (GENERALIZED_TIME, [d @ .., b'Z']) if d.len() == 14 => d,
        _ => return Err(bad),
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return Err(bad);
    }
    let number = |at: usize| u32::from(digits[at] - b'0') * 10 + u32::from(digits[at + 1] - b'0');
    let (year, rest) = if tlv.tag == UTC_TIME {
        let yy = number(0);
        (if yy >= 50 { 1900 + yy } else { 2000 + yy }, 2)
    } else {
        (number(0) * 100 + number(2), 4)
    };
    let at = |i: usize| number(rest + 2 * i);
    let date = chrono::NaiveDate::from_ymd_opt(year as i32, at(0), at(1)).ok_or(bad)?;
    let moment = date.and_hms_opt(at(2), at(3), at(4)).ok_or(bad)?;
    Ok(moment.and_utc().timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match value.len() {
            n if n < 0x80 => out.push(n as u8),
            n if n < 0x100 => out.extend([0x81, n as u8]),
            n => out.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        out.extend(value);
        out
    }

    fn millis(s: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn lengths_short_and_long_and_too_long() {
        let long = tlv(0x04, &[7; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2c]);
        let mut r = Reader(&long);
        let t = r.next().unwrap();
        assert_eq!((t.tag, t.value.len(), t.whole.len()), (0x04, 300, 304));
        assert!(r.0.is_empty());
        let mut two = tlv(0x02, &[1]);
        two.extend(tlv(0x02, &[2]));
        let mut r = Reader(&two);
        assert_eq!(r.next().unwrap().value, [1]);
        assert_eq!(r.next().unwrap().value, [2]);
        assert!(r.next().is_none());
        for bad in [
            &[0x04, 0x82, 0x01][..],               // a length cut short
            &[0x04, 0x82, 0x01, 0x2c, 0, 0],       // contents cut short
            &[0x04, 0x80, 0, 0],                   // indefinite: BER, not DER
            &[0x04, 0x85, 1, 0, 0, 0, 0],          // five length bytes
            &[0x04, 0x84, 0xff, 0xff, 0xff, 0xff], // 4 GiB announced
            &[0x1f, 0x01, 0x00],                   // a high tag number
            &[0x04],
            &[],
        ] {
            assert!(Reader(bad).next().is_none(), "{bad:?}");
        }
    }

    #[test]
    fn both_time_forms_are_read() {
        let utc = |s: &str| {
            time(
                Some(Tlv {
                    tag: UTC_TIME,
                    value: s.as_bytes(),
                    whole: &[],
                }),
                "t",
            )
        };
        let gen = |s: &str| {
            time(
                Some(Tlv {
                    tag: GENERALIZED_TIME,
                    value: s.as_bytes(),
                    whole: &[],
                }),
                "t",
            )
        };
        assert_eq!(utc("260504103000Z"), Ok(millis("2026-05-04T10:30:00Z")));
        assert_eq!(utc("991231235959Z"), Ok(millis("1999-12-31T23:59:59Z")));
        assert_eq!(utc("500101000000Z"), Ok(millis("1950-01-01T00:00:00Z")));
        assert_eq!(utc("491231235959Z"), Ok(millis("2049-12-31T23:59:59Z")));
        assert_eq!(gen("20500101000000Z"), Ok(millis("2050-01-01T00:00:00Z")));
        let bad = Err(CertError::Malformed("t"));
        for s in [
            "2605041030Z",       // no seconds
            "260504103000",      // no Z
            "260504103000+0100", // an offset
            "261304103000Z",     // month 13
            "260230103000Z",     // 30 February
            "260504246000Z",     // 24:60
            "26050410300aZ",
            "",
        ] {
            assert_eq!(utc(s), bad, "{s}");
        }
        assert_eq!(
            gen("260504103000Z"),
            bad,
            "a UTCTime's digits as GeneralizedTime"
        );
        assert_eq!(gen("20260504103000.5Z"), bad, "fractions are not DER's");
        assert_eq!(time(None, "t"), bad);
        let other = Tlv {
            tag: 0x04,
            value: b"260504103000Z",
            whole: &[],
        };
        assert_eq!(time(Some(other), "t"), bad);
    }

    /// A certificate's skeleton around `spki`, with the given validity.
    fn cert(version: bool, validity: &[u8], spki: &[u8]) -> Vec<u8> {
        let alg = tlv(
            SEQUENCE,
            &tlv(OID, &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 11]),
        );
        let name = tlv(SEQUENCE, &[]);
        let mut tbs = Vec::new();
        if version {
            tbs.extend(tlv(VERSION, &tlv(INTEGER, &[2])));
        }
        for part in [&tlv(INTEGER, &[1])[..], &alg, &name, validity, &name, spki] {
            tbs.extend(part);
        }
        let mut body = tlv(SEQUENCE, &tbs);
        body.extend(&alg);
        body.extend(tlv(BIT_STRING, &[0, 1, 2, 3]));
        tlv(SEQUENCE, &body)
    }

    fn validity() -> Vec<u8> {
        let mut v = tlv(UTC_TIME, b"250101000000Z");
        v.extend(tlv(GENERALIZED_TIME, b"20500101000000Z"));
        tlv(SEQUENCE, &v)
    }

    fn spki(oid: &[u8]) -> Vec<u8> {
        let mut body = tlv(SEQUENCE, &[tlv(OID, oid), tlv(0x05, &[])].concat());
        body.extend(tlv(BIT_STRING, &[0; 140]));
        tlv(SEQUENCE, &body)
    }

    #[test]
    fn a_certificate_gives_its_key_and_validity_with_or_without_a_version() {
        let key = spki(RSA_ENCRYPTION);
        for version in [true, false] {
            let c = certificate(&cert(version, &validity(), &key)).unwrap();
            assert_eq!(c.spki, key);
            assert_eq!(c.not_before_millis, millis("2025-01-01T00:00:00Z"));
            assert_eq!(c.not_after_millis, millis("2050-01-01T00:00:00Z"));
            assert!(c.valid_at(millis("2026-05-04T00:00:00Z")));
            assert!(c.valid_at(c.not_before_millis) && c.valid_at(c.not_after_millis));
            assert!(!c.valid_at(c.not_before_millis - 1));
            assert!(!c.valid_at(c.not_after_millis + 1));
        }
    }

    #[test]
    fn what_is_not_a_certificate_says_where_it_failed() {
        let key = spki(RSA_ENCRYPTION);
        let ec = spki(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]);
        assert_eq!(
            certificate(&cert(true, &validity(), &ec)),
            Err(CertError::NotRsa)
        );
        let mut trailing = cert(true, &validity(), &key);
        trailing.push(0);
        assert_eq!(
            certificate(&trailing),
            Err(CertError::Malformed("Certificate (bytes after it)"))
        );
        let one_time = tlv(SEQUENCE, &tlv(UTC_TIME, b"250101000000Z"));
        assert_eq!(
            certificate(&cert(true, &one_time, &key)),
            Err(CertError::Malformed("notAfter"))
        );
        let no_key = cert(true, &validity(), &tlv(INTEGER, &[1]));
        assert_eq!(
            certificate(&no_key),
            Err(CertError::Malformed("subjectPublicKeyInfo"))
        );
        assert_eq!(certificate(b""), Err(CertError::Malformed("Certificate")));
        assert_eq!(
            certificate(&tlv(SEQUENCE, &[])),
            Err(CertError::Malformed("tbsCertificate"))
        );
        let whole = cert(true, &validity(), &key);
        for cut in 0..whole.len() {
            assert!(certificate(&whole[..cut]).is_err(), "cut at {cut}");
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = certificate(&bytes);
            let _ = Reader(&bytes).next();
        }

        #[test]
        fn damaged_certificates_never_panic(at in 0usize..400, byte in proptest::num::u8::ANY, cut in 0usize..400) {
            let mut c = cert(true, &validity(), &spki(RSA_ENCRYPTION));
            let at = at % c.len();
            c[at] = byte;
            let _ = certificate(&c);
            c.truncate(cut.min(c.len()));
            let _ = certificate(&c);
        }
    }
}
