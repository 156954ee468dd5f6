/* rules_certs.c: the checks of each presented certificate that need no
 * trust store (validity, purpose, names, keys, signatures, subject), and
 * the order of a presented chain (DOMAIN.md, "Rules from the field"). */
#include "rules.h"

#include "sites.h"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool has_eku(const struct cert *c, const char *name)
{
	for (size_t i = 0; i < c->eku.n; i++)
		if (strcmp(c->eku.v[i], name) == 0)
			return true;
	return false;
}

/* The subject attributes seen on ordinary certificates. */
static bool common_attribute(int nid)
{
	static const int common[] = {
	    NID_commonName,
	    NID_countryName,
	    NID_localityName,
	    NID_stateOrProvinceName,
	    NID_organizationName,
	    NID_organizationalUnitName,
	    NID_pkcs9_emailAddress,
	    NID_serialNumber,
	    NID_domainComponent,
	    NID_userId,
	    NID_streetAddress,
	    NID_postalCode,
	    NID_title,
	    NID_givenName,
	    NID_surname,
	    NID_initials,
	    NID_dnQualifier,
	    NID_pseudonym,
	    NID_generationQualifier,
	    NID_businessCategory,
	    NID_jurisdictionCountryName,
	    NID_jurisdictionStateOrProvinceName,
	    NID_jurisdictionLocalityName,
	    NID_organizationIdentifier,
	    NID_name,
	    NID_description,
	};
	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		if (common[i] == nid)
			return true;
	return false;
}

static void cert_vars(struct vars *vs, const struct judging *j, int side,
                      const struct cert *c, char *addr, size_t addrlen)
{
	side_addr(j, side, addr, addrlen);
	var_set(vs, "side", side_word(side));
	var_set(vs, "peer", side_word(!side));
	var_set(vs, "addr", addr);
	var_set(vs, "subject", subject_of(c));
}

static void validity(struct judging *j, int side, const struct cert *c, time_t at)
{
	char addr[64], date[32], when[32], days[24];
	if (!c->have_validity)
		return;
	struct vars vs = {0};
	cert_vars(&vs, j, side, c, addr, sizeof(addr));
	time_format(at, when, sizeof(when));
	var_set(&vs, "when", when);
	if (c->not_after < at) {
		time_format(c->not_after, date, sizeof(date));
		var_set(&vs, "date", date);
		var_set(&vs, "origin", phrase(PH_ORIGIN_SENT));
		var_set(&vs, "expired_advice", phrase(PH_ADVICE_RENEW_SENT));
		diag_add(j->v, side, DIAG_EXPIRED, NULL, diag_severity(DIAG_EXPIRED),
		         c->sha256, &vs);
	} else if (c->not_before > at) {
		time_format(c->not_before, date, sizeof(date));
		var_set(&vs, "date", date);
		var_set(&vs, "origin", phrase(PH_ORIGIN_SENT));
		var_set(&vs, "notyet_advice", phrase(PH_ADVICE_NOTYET_SENT));
		diag_add(j->v, side, DIAG_NOT_YET_VALID, NULL,
		         diag_severity(DIAG_NOT_YET_VALID), c->sha256, &vs);
	} else if (c->not_after - at < (time_t)EXPIRING_SOON_DAYS * 86400) {
		time_format(c->not_after, date, sizeof(date));
		snprintf(days, sizeof(days), "%lld",
		         (long long)((c->not_after - at) / 86400));
		var_set(&vs, "date", date);
		var_set(&vs, "days", days);
		diag_add(j->v, side, DIAG_EXPIRING_SOON, NULL,
		         diag_severity(DIAG_EXPIRING_SOON), c->sha256, &vs);
	}
}

/* Where the verification of side's chain at CHAIN_SECURITY_LEVEL refused c
 * for its signature (key: for its key), what OpenSSL said; else NULL. */
static const char *level_refusal(const struct judging *j, int side, const struct cert *c,
                                 bool key)
{
	const struct chain_check *cc = j->v->check[side];
	for (size_t i = 0; cc && i < cc->n_errors; i++) {
		const struct chain_error *e = &cc->errors[i];
		const struct chain_link *l = chain_link_at(cc, e->depth);
		if (chain_error_is_level(e->code) &&
		    (e->code == X509_V_ERR_CA_MD_TOO_WEAK) != key && l &&
		    strcmp(l->sha256, c->sha256) == 0)
			return e->text;
	}
	return NULL;
}

/* " A peer on OpenSSL at its default security level refuses it (...)." where
 * that level refused c, else "": a new string. */
static char *level_note(const struct judging *j, int side, const struct cert *c, bool key)
{
	const char *why = level_refusal(j, side, c, key);
	char level[8];
	snprintf(level, sizeof(level), "%d", CHAIN_SECURITY_LEVEL);
	struct vars vs = {0};
	var_set(&vs, "level", level);
	var_set(&vs, "why", why);
	return why ? render(phrase(PH_LEVEL_REFUSES), &vs) : strdup("");
}

static void key_and_signature(struct judging *j, int side, const struct cert *c)
{
	char addr[64], bits[16], algorithm[128];
	struct vars vs = {0};
	cert_vars(&vs, j, side, c, addr, sizeof(addr));
	char *key_note = level_note(j, side, c, true),
	     *sig_note = level_note(j, side, c, false);
	snprintf(bits, sizeof(bits), "%d", c->key_bits);
	var_set(&vs, "bits", bits);
	var_set(&vs, "keytype", c->key_type);
	/* RSASSA-PSS names its hash in its parameters: X509_get_signature_info()
	 * reads them where OBJ_find_sigid_algs() gives no hash */
	int md = NID_undef, pk = NID_undef, secbits = 0;
	uint32_t flags = 0;
	bool known = X509_get_signature_info(c->x509, &md, &pk, &secbits, &flags) == 1;
	if (known && X509_get_signature_nid(c->x509) == NID_rsassaPss && md != NID_undef)
		snprintf(algorithm, sizeof(algorithm), "RSASSA-PSS with %s",
		         OBJ_nid2sn(md));
	else
		snprintf(algorithm, sizeof(algorithm), "%s", c->signature_algorithm);
	var_set(&vs, "algorithm", algorithm);
	bool rsa = c->key_type &&
	           (strcmp(c->key_type, "RSA") == 0 || strcmp(c->key_type, "DSA") == 0);
	bool ec = c->key_type && strcmp(c->key_type, "EC") == 0;
	if (c->key_type && strcmp(c->key_type, "RSA") == 0 && c->key_bits > 4096)
		diag_add(j->v, side, DIAG_KEY_TOO_LARGE, NULL,
		         diag_severity(DIAG_KEY_TOO_LARGE), c->sha256, &vs);
	var_set(&vs, "level_note", key_note);
	if ((rsa && c->key_bits < 2048) || (ec && c->key_bits < 224))
		diag_add(j->v, side, DIAG_WEAK_KEY, NULL, diag_severity(DIAG_WEAK_KEY),
		         c->sha256, &vs);
	var_replace(&vs, "level_note", sig_note);
	if (!c->self_signed && known &&
	    (md == NID_sha1 || md == NID_md5 || md == NID_md2 || md == NID_md4))
		diag_add(j->v, side, DIAG_WEAK_SIGNATURE, NULL,
		         diag_severity(DIAG_WEAK_SIGNATURE), c->sha256, &vs);
	free(key_note);
	free(sig_note);
}

static void subject_attributes(struct judging *j, int side, const struct cert *c)
{
	const X509_NAME *name = X509_get_subject_name(c->x509);
	for (int i = 0; i < X509_NAME_entry_count(name); i++) {
		const ASN1_OBJECT *o =
		    X509_NAME_ENTRY_get_object(X509_NAME_get_entry(name, i));
		int nid = OBJ_obj2nid(o);
		if (common_attribute(nid))
			continue;
		char oid[128], addr[64];
		if (OBJ_obj2txt(oid, sizeof(oid), o, 1) <= 0)
			snprintf(oid, sizeof(oid), "?");
		struct vars vs = {0};
		cert_vars(&vs, j, side, c, addr, sizeof(addr));
		var_set(&vs, "attr", oid);
		diag_add(j->v, side, DIAG_UNUSUAL_SUBJECT_ATTRIBUTE, NULL,
		         diag_severity(DIAG_UNUSUAL_SUBJECT_ATTRIBUTE), c->sha256, &vs);
		return; /* one finding per certificate */
	}
}

static void purpose(struct judging *j, int side, const struct cert *c)
{
	char addr[64];
	if (!c->has_eku)
		return; /* no extension: any purpose */
	struct vars vs = {0};
	cert_vars(&vs, j, side, c, addr, sizeof(addr));
	const struct site *site = site_for(j->hs->server.port);
	bool dual = site && site->dual_use;
	const char *svc = j->v->service ? j->v->service : "this service";
	bool server_auth = has_eku(c, "serverAuth"),
	     client_auth = has_eku(c, "clientAuth");
	/* a server certificate without serverAuth is refused everywhere; on a
	 * dual-use port every certificate needs both purposes; elsewhere a
	 * client certificate without clientAuth is a warning (some servers
	 * do not check) */
	struct vars w = {0};
	var_set(&w, "service", svc);
	if (dual ? !server_auth : side == SIDE_SERVER && !server_auth) {
		char *why =
		    render(phrase(dual ? PH_EKU_WHY_DUAL : PH_EKU_WHY_SERVER), &w);
		var_set(&vs, "why", why ? why : "");
		diag_add(j->v, side, DIAG_EKU_MISSING_SERVER_AUTH, NULL,
		         diag_severity(DIAG_EKU_MISSING_SERVER_AUTH), c->sha256, &vs);
		vs.n--;
		free(why);
	}
	if (dual ? !client_auth : side == SIDE_CLIENT && !client_auth) {
		char *why =
		    render(phrase(dual ? PH_EKU_WHY_DUAL : PH_EKU_WHY_CLIENT), &w);
		var_set(&vs, "why", why ? why : "");
		/* off a dual-use port some servers do not check a client's EKU */
		diag_add(j->v, side, DIAG_EKU_MISSING_CLIENT_AUTH, NULL,
		         dual ? diag_severity(DIAG_EKU_MISSING_CLIENT_AUTH) : SEV_WARNING,
		         c->sha256, &vs);
		free(why);
	}
}

static void names_of(const struct cert *c, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < c->san.n; i++) {
		if (strlen(buf) + strlen(c->san.v[i]) + 3 >= len)
			break;
		if (i)
			strcat(buf, ", ");
		strcat(buf, c->san.v[i]);
	}
	if (!c->san.n) {
		struct vars vs = {0};
		var_set(&vs, "subject", subject_of(c));
		char *none = render(phrase(PH_NO_SAN), &vs);
		snprintf(buf, len, "%s", none ? none : "");
		free(none);
	}
}

static void wildcard_and_san(struct judging *j, int side, const struct cert *c)
{
	char addr[64], chars[24];
	struct vars vs = {0};
	cert_vars(&vs, j, side, c, addr, sizeof(addr));
	for (size_t i = 0; i < c->san.n; i++) {
		if (strncmp(c->san.v[i], "DNS:", 4) == 0 &&
		    strchr(c->san.v[i] + 4, '*')) {
			var_set(&vs, "name", c->san.v[i] + 4);
			enum severity sev =
			    site_for(j->hs->server.port) &&
			            site_for(j->hs->server.port)->collaboration
			        ? diag_severity(DIAG_WILDCARD_NAME)
			        : SEV_INFO;
			diag_add(j->v, side, DIAG_WILDCARD_NAME, NULL, sev, c->sha256,
			         &vs);
			vs.n--;
			break;
		}
	}
	if (c->san_chars > 999) {
		snprintf(chars, sizeof(chars), "%zu", c->san_chars);
		var_set(&vs, "chars", chars);
		diag_add(j->v, side, DIAG_SAN_TOO_LONG, NULL,
		         diag_severity(DIAG_SAN_TOO_LONG), c->sha256, &vs);
	}
}

/* The name the client expects of the server: --expect-name for this
 * server, else the SNI. */
static const char *expected_name(const struct judging *j, const char **source)
{
	const char *any = NULL;
	const struct config *cfg = j->cfg;
	for (size_t i = 0; i < cfg->n_expect; i++) {
		const struct expect_name *e = &cfg->expect[i];
		if (!e->addr) {
			any = e->name;
			continue;
		}
		struct endpoint ep;
		if (endpoint_parse_addr(e->addr, &ep) &&
		    ep.family == j->hs->server.family &&
		    memcmp(ep.addr, j->hs->server.addr, ep.family == 4 ? 4 : 16) == 0 &&
		    (e->port == 0 || e->port == j->hs->server.port)) {
			*source = phrase(PH_NAME_FROM_EXPECT);
			return e->name;
		}
	}
	if (any) {
		*source = phrase(PH_NAME_FROM_EXPECT);
		return any;
	}
	*source = phrase(PH_NAME_FROM_SNI);
	return j->hs->sni;
}

static void name_match(struct judging *j, const struct cert *c)
{
	const char *source;
	const char *name = expected_name(j, &source);
	if (!name || !*name || !c->x509)
		return;
	int ok;
	struct endpoint ip;
	if (endpoint_parse_addr(name, &ip))
		ok = X509_check_ip_asc(c->x509, name, 0);
	else
		ok = X509_check_host(c->x509, name, strlen(name), 0, NULL);
	if (ok == 1)
		return;
	char addr[64], names[600];
	struct vars vs = {0};
	cert_vars(&vs, j, SIDE_SERVER, c, addr, sizeof(addr));
	names_of(c, names, sizeof(names));
	var_set(&vs, "name", name);
	var_set(&vs, "source", source);
	var_set(&vs, "names", names);
	diag_add(j->v, SIDE_SERVER, DIAG_NAME_MISMATCH, NULL,
	         diag_severity(DIAG_NAME_MISMATCH), c->sha256, &vs);
}

/* A presented certificate OpenSSL cannot decode (one over the size cap is
 * not asked, and says nothing of its DER). */
static void undecodable(struct judging *j, int side, const struct cert *c, size_t i)
{
	char addr[64], pos[24], size[24];
	size_t cap = j->cfg->max_cert_size;
	if (!c->parse_error || (cap && c->der_len > cap))
		return;
	struct vars vs = {0};
	cert_vars(&vs, j, side, c, addr, sizeof(addr));
	snprintf(pos, sizeof(pos), "%zu", i + 1);
	snprintf(size, sizeof(size), "%zu", c->der_len);
	var_set(&vs, "position", pos);
	var_set(&vs, "size", size);
	var_set(&vs, "sha256", c->sha256);
	var_set(&vs, "why", c->parse_error);
	diag_add(j->v, side, DIAG_CERTIFICATE_UNDECODABLE, NULL,
	         diag_severity(DIAG_CERTIFICATE_UNDECODABLE), c->sha256, &vs);
}

void rules_certificates(struct judging *j)
{
	time_t at = j->at;
	for (int side = SIDE_SERVER; side >= SIDE_CLIENT; side--) {
		const struct chain *ch = &j->v->chains[side];
		for (size_t i = 0; i < ch->n; i++) {
			const struct cert *c = ch->certs[i];
			if (!c->x509 || c->parse_error)
				undecodable(j, side, c, i);
			if (!c->x509)
				continue;
			if (i == 0) {
				purpose(j, side, c);
				wildcard_and_san(j, side, c);
				if (side == SIDE_SERVER)
					name_match(j, c);
			}
			validity(j, side, c, at);
			key_and_signature(j, side, c);
			subject_attributes(j, side, c);
		}
	}
}

/* Presented certificates should run leaf first, each followed by its
 * issuer; anything else is out of order or unrelated. */
/* Whether parent names the issuer of child: its subject is the child's
 * issuer and, where both say, its key id the child's authority key id.
 * Order is names and key ids only: X509_check_issued() also refuses a
 * parent whose key usage lacks keyCertSign, which is invalid-issuer's to
 * say.  Remembered on the child for the last parent asked. */
static bool issued_by(struct cert *child, const struct cert *parent)
{
	if (child->issuer_memo[0] && strcmp(child->issuer_memo, parent->sha256) == 0)
		return child->issuer_memo_ok;
	const ASN1_OCTET_STRING *akid = X509_get0_authority_key_id(child->x509),
	                        *skid = X509_get0_subject_key_id(parent->x509);
	bool ok = X509_NAME_cmp(X509_get_issuer_name(child->x509),
	                        X509_get_subject_name(parent->x509)) == 0 &&
	          (!akid || !skid || ASN1_OCTET_STRING_cmp(akid, skid) == 0);
	memcpy(child->issuer_memo, parent->sha256, sizeof(child->issuer_memo));
	child->issuer_memo_ok = ok;
	return ok;
}

void rules_chain_order(struct judging *j, int side)
{
	const struct chain *ch = &j->v->chains[side];
	for (size_t i = 1; i < ch->n; i++) {
		X509 *child = ch->certs[i - 1]->x509, *parent = ch->certs[i]->x509;
		if (!child || !parent || issued_by(ch->certs[i - 1], ch->certs[i]))
			continue;
		char addr[64];
		struct vars vs = {0};
		cert_vars(&vs, j, side, ch->certs[i], addr, sizeof(addr));
		diag_add(j->v, side, DIAG_CHAIN_ORDER, NULL,
		         diag_severity(DIAG_CHAIN_ORDER), ch->certs[i]->sha256, &vs);
		ERR_clear_error();
		return;
	}
	ERR_clear_error();
}
