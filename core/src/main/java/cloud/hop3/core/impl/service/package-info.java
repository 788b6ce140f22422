/**
 * The api services that front ends call (the shell, the REST API, the dashboard) whose work spans
 * several of core's packages: {@link cloud.hop3.api.app.AppService} over the app catalog, the
 * process driver, the routes and the deploy pipeline's queue. It sits above those packages, so
 * that none of them depends back on it.
 */
package cloud.hop3.core.impl.service;
