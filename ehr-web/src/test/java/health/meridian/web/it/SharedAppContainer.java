package health.meridian.web.it;

import fish.payara.arquillian.container.payara.managed.PayaraMicroDeployableContainer;
import java.util.logging.Logger;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.shrinkwrap.api.Archive;

/**
 * One running app for every integration test class of the run (issue: keep the suite inside CI's budget). Payara Micro
 * has no redeploy: its Arquillian adapter starts a new Payara Micro process for every class's {@code @Deployment} and
 * stops it after the class — about 35 s per class for the same WAR. This adapter starts it for the first class and
 * hands every later class whose deployment is the same archive the same running app; the process ends with the test
 * JVM (the adapter's own shutdown hook). A class that deploys a different archive gets a fresh process, as before.
 * {@code -Dit.shared.app=false} restores one process per class.
 *
 * <p>Classes therefore share one app's state (caches, workers, rate limits) as they share the database, the search
 * index and Keycloak: each class sets up what it asserts and leaves nothing that changes what another class sees.
 */
public class SharedAppContainer extends PayaraMicroDeployableContainer {

    private static final Logger LOG = Logger.getLogger(SharedAppContainer.class.getName());
    private static final boolean SHARED = !"false".equals(System.getProperty("it.shared.app"));

    private String deployed;
    private Archive<?> deployedArchive;
    private ProtocolMetaData running;
    private int classesServed;

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        String name = archive.getName();
        if (SHARED && running != null && name.equals(deployed)) {
            classesServed++;
            LOG.info(() -> "Meridian IT: class " + classesServed + " uses the running app (" + name + ")");
            return running;
        }
        if (running != null) {
            super.undeploy(deployedArchive);
            running = null;
        }
        ProtocolMetaData metaData = super.deploy(archive);
        deployed = name;
        deployedArchive = archive;
        running = metaData;
        classesServed = 1;
        return metaData;
    }

    @Override
    public void undeploy(Archive<?> archive) throws DeploymentException {
        if (!SHARED) {
            super.undeploy(archive);
            running = null;
        }
        // shared: the app keeps running for the next class; the JVM's exit stops it (shutdown hook) or stop() does
    }

    @Override
    public void stop() throws org.jboss.arquillian.container.spi.client.container.LifecycleException {
        if (running != null) {
            try {
                super.undeploy(deployedArchive);
            } catch (DeploymentException e) {
                throw new org.jboss.arquillian.container.spi.client.container.LifecycleException(e.getMessage(), e);
            }
            running = null;
        }
        super.stop();
    }

    /** Registered in META-INF/services: replaces the Payara Micro adapter's container with this one. */
    public static final class Extension implements LoadableExtension {
        @Override
        public void register(ExtensionBuilder builder) {
            builder.override(DeployableContainer.class, PayaraMicroDeployableContainer.class,
                    SharedAppContainer.class);
        }
    }
}
