/* sites.c: the sites table (sites.h). */
#include "sites.h"

#include "../dissect/tls.h"

#include <stddef.h>

#define EXPRESSWAY_E "the Trusted CA list of the Expressway-E"
#define EXPRESSWAY_C "the Trusted CA list of the Expressway-C"
#define CALLMANAGER                                                                      \
	"CallManager-trust on CUCM (the Trusted CA list, if the {peer} is an "           \
	"Expressway)"
#define TOMCAT                                                                           \
	"tomcat-trust on CUCM (the Trusted CA list, if the server is an Expressway)"
#define CLIENT_ROOTS "the trusted root store of the client (browser, Jabber or phone)"
#define LDAPS        "tomcat-trust on CUCM (directory over TLS)"
#define XMPP         "cup-xmpp-trust on IM and Presence"
#define ITL          "the ITL of the phone"

/* Where each store takes an upload (DOMAIN.md, "Where each fix is made"). */
#define UP_EXPRESSWAY                                                                    \
	"On that Expressway: Maintenance > Security certificates > Trusted CA "          \
	"certificate, \"Append CA certificate\" with ca-bundle.pem.  The list is per "   \
	"peer, not replicated across a cluster: append it on every peer."
#define UP_CUCM(store)                                                                   \
	"On CUCM: Cisco Unified OS Administration > Security > Certificate Management "  \
	"> Upload Certificate/Certificate chain, purpose " store ", one certificate at " \
	"a time, the root (the last of ca-bundle.pem) first."
#define UP_CUCM_OR_EXPRESSWAY(store)                                                     \
	UP_CUCM(store)                                                                   \
	"  If the {peer} is an Expressway: its Trusted CA list "                         \
	"(Maintenance > Security certificates > Trusted CA certificate, "                \
	"\"Append CA certificate\")."
#define UP_CLIENT_ROOTS                                                                  \
	"Import ca-bundle.pem into the trusted root store the client uses: the "         \
	"operating system's or browser's certificate manager (Jabber uses the "          \
	"operating system's), or a phone's trusted CA settings."
#define UP_ITL                                                                           \
	"No upload: a phone trusts TVS through the ITL it downloads from TFTP.  Reset "  \
	"the phone's trust list (or use the cluster's ITL recovery) so it fetches the "  \
	"current ITL; the bundle only names the certificates."
#define UP_IMP                                                                           \
	"On IM and Presence: Cisco Unified OS Administration > Security > Certificate "  \
	"Management > Upload Certificate/Certificate chain, purpose cup-xmpp-trust."
#define UP_ANY                                                                           \
	"Add ca-bundle.pem to the CA file or folder the {peer}'s TLS stack is "          \
	"configured with (for OpenSSL, CAfile or a CApath folder after "                 \
	"openssl rehash; for Java, keytool -importcert into its truststore)."

/* Adding a service is adding a row. */
static const struct site sites[] = {
    {443, "https", TOMCAT, CLIENT_ROOTS, false, false, false,
     UP_CUCM_OR_EXPRESSWAY("tomcat-trust"), UP_CLIENT_ROOTS},
    {8443, "https-alt", TOMCAT, CLIENT_ROOTS, false, true, false,
     UP_CUCM_OR_EXPRESSWAY("tomcat-trust"), UP_CLIENT_ROOTS},
    {7001, "expressway-traversal", EXPRESSWAY_E, EXPRESSWAY_C, true, true, false,
     UP_EXPRESSWAY, UP_EXPRESSWAY},
    {5061, "sip-tls", CALLMANAGER, CALLMANAGER, true, true, false,
     UP_CUCM_OR_EXPRESSWAY("CallManager-trust"),
     UP_CUCM_OR_EXPRESSWAY("CallManager-trust")},
    {2445, "cucm-tvs", "tvs-trust on CUCM", ITL, false, true, true, UP_CUCM("tvs-trust"),
     UP_ITL},
    {2444, "cucm-ctl", "CallManager-trust on CUCM (the phone's CTL)",
     "CallManager-trust on CUCM (the phone's CTL)", false, true, false,
     UP_CUCM("CallManager-trust"), UP_CUCM("CallManager-trust")},
    {3804, "cucm-capf", "capf-trust on CUCM", "capf-trust on CUCM", false, true, false,
     UP_CUCM("capf-trust"), UP_CUCM("capf-trust")},
    {636, "ldaps", LDAPS, LDAPS, false, false, false, UP_CUCM("tomcat-trust"),
     UP_CUCM("tomcat-trust")},
    {3269, "ldaps-gc", LDAPS, LDAPS, false, false, false, UP_CUCM("tomcat-trust"),
     UP_CUCM("tomcat-trust")},
    {5223, "xmpp-tls", XMPP, XMPP, false, false, false, UP_IMP, UP_IMP},
    {5222, "xmpp-client", XMPP, XMPP, false, true, false, UP_IMP, UP_IMP},
    {5269, "xmpp-server", XMPP, XMPP, false, true, false, UP_IMP, UP_IMP},
    {993, "imaps", NULL, NULL, false, false, false, NULL, NULL},
    {995, "pop3s", NULL, NULL, false, false, false, NULL, NULL},
    {465, "smtps", NULL, NULL, false, false, false, NULL, NULL},
    {853, "dns-over-tls", NULL, NULL, false, false, false, NULL, NULL},
    {6514, "syslog-tls", NULL, NULL, false, false, false, NULL, NULL},
    {8883, "mqtt-tls", NULL, NULL, false, false, false, NULL, NULL},
};

const struct site *site_for(uint16_t port)
{
	for (size_t i = 0; i < sizeof(sites) / sizeof(sites[0]); i++)
		if (sites[i].port == port)
			return &sites[i];
	return NULL;
}

const char *service_name(uint16_t port)
{
	const struct site *s = site_for(port);
	return s ? s->service : NULL;
}

const char *store_name(uint16_t port, int validator)
{
	const struct site *s = site_for(port);
	const char *name = !s                         ? NULL
	                   : validator == SIDE_SERVER ? s->server_store
	                                              : s->client_store;
	return name ? name : "the trust store of the {peer}";
}

const char *store_upload(uint16_t port, int validator)
{
	const struct site *s = site_for(port);
	const char *up = !s                         ? NULL
	                 : validator == SIDE_SERVER ? s->server_upload
	                                            : s->client_upload;
	return up ? up : UP_ANY;
}

/* The labels longer than nine columns, as the live view's narrow column
 * shows them (the others fit as they are). */
static const struct {
	uint16_t port;
	const char *abbrev;
} short_labels[] = {
    {7001, "traversal"}, {5222, "xmpp-c2s"}, {5269, "xmpp-s2s"},
    {853, "dot"},        {6514, "syslog"},
};

const char *service_short(uint16_t port)
{
	for (size_t i = 0; i < sizeof(short_labels) / sizeof(short_labels[0]); i++)
		if (short_labels[i].port == port)
			return short_labels[i].abbrev;
	return service_name(port);
}
