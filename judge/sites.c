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

/* Adding a service is adding a row. */
static const struct site sites[] = {
    {443, "https", TOMCAT, CLIENT_ROOTS, false, false, false},
    {8443, "https-alt", TOMCAT, CLIENT_ROOTS, false, true, false},
    {7001, "expressway-traversal", EXPRESSWAY_E, EXPRESSWAY_C, true, true, false},
    {5061, "sip-tls", CALLMANAGER, CALLMANAGER, true, true, false},
    {2445, "cucm-tvs", "tvs-trust on CUCM", "the ITL of the phone", false, true, true},
    {2444, "cucm-ctl", "CallManager-trust on CUCM (the phone's CTL)",
     "CallManager-trust on CUCM (the phone's CTL)", false, true, false},
    {3804, "cucm-capf", "capf-trust on CUCM", "capf-trust on CUCM", false, true, false},
    {636, "ldaps", LDAPS, LDAPS, false, false, false},
    {3269, "ldaps-gc", LDAPS, LDAPS, false, false, false},
    {5223, "xmpp-tls", XMPP, XMPP, false, false, false},
    {5222, "xmpp-client", XMPP, XMPP, false, true, false},
    {5269, "xmpp-server", XMPP, XMPP, false, true, false},
    {993, "imaps", NULL, NULL, false, false, false},
    {995, "pop3s", NULL, NULL, false, false, false},
    {465, "smtps", NULL, NULL, false, false, false},
    {853, "dns-over-tls", NULL, NULL, false, false, false},
    {6514, "syslog-tls", NULL, NULL, false, false, false},
    {8883, "mqtt-tls", NULL, NULL, false, false, false},
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
