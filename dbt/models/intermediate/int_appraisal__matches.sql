{{ config(materialized='view') }}
{# Each record a rule's filter (where, a share's base and part, a veto's) takes for a scored region and year, the
   records int_appraisal__counts counts in groups: what the evidence lists. A view: the evidence is read a
   region's year at a time, and stored it would copy a decade of records once per rule and region above them. #}
{{ appraisal_taken(ref('int_appraisal__records'), ['record_id', 'occurred_at']) }}
