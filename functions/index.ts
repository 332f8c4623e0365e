/** Entry module: importing it registers every liftwatch Cloud Function with the Functions Framework. */
import './registerBaseline.js';
import './driftMonitor.js';
import './calibrationMonitor.js';
import './liftMonitor.js';
import './upliftMonitor.js';
