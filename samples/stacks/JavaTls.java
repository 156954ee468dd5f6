// JavaTls.java: one TLS connection with Java's own stack (JSSE), for the
// samples make.sh captures: a client or a server, a TLS version, a trust
// store and a key store (PKCS#12, password "changeit").
//
//   java JavaTls.java client PORT TLSv1.2|TLSv1.3 TRUST.p12 [KEYS.p12]
//   java JavaTls.java server PORT TLSv1.2|TLSv1.3 TRUST.p12 KEYS.p12 [need]
//
// The client connects to 127.0.0.1; "need" makes the server require a
// client certificate.  What JSSE says of the handshake goes to standard
// error; the exit status is 0 when the handshake completed.
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

public class JavaTls {
    static final char[] PASSWORD = "changeit".toCharArray();

    static KeyStore load(String path) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(path)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    public static void main(String[] a) throws Exception {
        boolean server = a[0].equals("server");
        int port = Integer.parseInt(a[1]);
        String version = a[2];
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(load(a[3]));
        KeyManager[] km = null;
        if (a.length > 4) {
            // SunX509: a client offers only a certificate from a CA the
            // server's CertificateRequest lists, else none
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
            kmf.init(load(a[4]), PASSWORD);
            km = kmf.getKeyManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(km, tmf.getTrustManagers(), null);
        SSLSocket s;
        if (server) {
            SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(port);
            ss.setEnabledProtocols(new String[] {version});
            ss.setNeedClientAuth(a.length > 5 && a[5].equals("need"));
            System.out.println("listening");
            System.out.flush();
            s = (SSLSocket) ss.accept();
        } else {
            s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
            s.setEnabledProtocols(new String[] {version});
        }
        try {
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write("hello\n".getBytes());
            out.flush();
            if (!server)
                s.getInputStream().read();
            System.err.println("completed " + s.getSession().getProtocol() + " "
                               + s.getSession().getCipherSuite());
            s.close();
        } catch (Exception e) {
            System.err.println("refused: " + e);
            s.close();
            System.exit(1);
        }
    }
}
